package io.github.longrope.rope;

/**
 * What RoPE rotates: {@code rotaryDim} dimensions (d) of each head, in d/2 frequency pairs, with
 * base b ({@code rope_theta}).
 *
 * <p>The base frequency of pair i is θᵢ = b^(−2i/d); pair i rotates {@code (x[i], x[i + d/2])} (HF
 * "rotate-half" layout, not interleaved).
 *
 * @param rotaryDim d = head_dim × partial_rotary_factor; even, at least 2
 * @param base b, finite and &gt; 1
 */
public record RopeGeometry(int rotaryDim, double base) {

  public RopeGeometry {
    Checks.require(
        rotaryDim >= 2 && rotaryDim % 2 == 0,
        "rotary dimension must be even and >= 2, got %d",
        rotaryDim);
    Checks.require(
        Double.isFinite(base) && base > 1, "RoPE base must be a finite number > 1, got %s", base);
  }

  /**
   * The geometry of a head as HF computes it: {@code d = int(headDim × partialRotaryFactor)}.
   *
   * @throws IllegalArgumentException when the product is not an even integer ≥ 2
   */
  public static RopeGeometry of(int headDim, double partialRotaryFactor, double base) {
    Checks.positive(headDim, "head dimension");
    Checks.require(
        partialRotaryFactor > 0 && partialRotaryFactor <= 1,
        "partial_rotary_factor must be in (0, 1], got %s",
        partialRotaryFactor);
    return new RopeGeometry((int) (headDim * partialRotaryFactor), base);
  }

  /** Number of frequency pairs, d/2 (= the length of every factor vector). */
  public int pairs() {
    return rotaryDim / 2;
  }

  /** θᵢ = b^(−2i/d), computed in double. */
  public double theta(int i) {
    return Math.pow(base, -2.0 * i / rotaryDim);
  }

  /** All base inverse frequencies θ₀ … θ_{d/2−1}. */
  public double[] thetas() {
    double[] theta = new double[pairs()];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = theta(i);
    }
    return theta;
  }
}
