package io.github.longrope.rope;

/**
 * Static NTK-aware scaling (HF {@code ntk}): the base grows to b′ = b·s^(d/(d−2)), so λᵢ =
 * s^(2i/(d−2)): λ₀ = 1 (highest frequency extrapolated) up to λ_{d/2−1} = s.
 */
public record NtkScaling(double factor) implements RopeScaling {
  public NtkScaling {
    Checks.atLeastOne(factor, "NTK factor");
  }

  @Override
  public String typeName() {
    return "ntk";
  }

  @Override
  public double[] inverseFrequencies(RopeGeometry geometry, int seqLength, int layer) {
    return ntkInverseFrequencies(geometry, factor);
  }

  /** b′^(−2i/d) with b′ = b·ratio^(d/(d−2)); shared with the dynamic variant. */
  static double[] ntkInverseFrequencies(RopeGeometry geometry, double ratio) {
    int d = geometry.rotaryDim();
    Checks.require(d > 2, "NTK scaling needs a rotary dimension > 2, got %d", d);
    double base = geometry.base() * Math.pow(ratio, d / (d - 2.0));
    double[] inv = new double[geometry.pairs()];
    for (int i = 0; i < inv.length; i++) {
      inv[i] = Math.pow(base, -2.0 * i / d);
    }
    return inv;
  }
}
