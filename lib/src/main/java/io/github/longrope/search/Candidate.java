package io.github.longrope.search;

import java.util.Arrays;

/**
 * What one fitness evaluation sees: the searched factors λ (d/2 values), the start tokens n̂, and
 * the LongRoPE scale s the RoPE is built with (it only varies while auto-rescale tries scales).
 *
 * <p>Two candidates are the <em>same individual</em> ({@link #closeTo}) when n̂ and s are equal and
 * the factors are {@code numpy.allclose} (rtol 1e-5, atol 1e-8), the official history test. {@link
 * #equals} is exact. Immutable: arrays are copied in and out.
 *
 * @param factors λ as searched (relative to the fine-tuned factors in the second-stage search)
 * @param startTokens n̂ ≥ 0
 * @param scale s = L′/L of the RoPE (drives the attention scale)
 */
public record Candidate(double[] factors, int startTokens, double scale) {
  /** numpy's {@code allclose} defaults. */
  public static final double RTOL = 1e-5;

  public static final double ATOL = 1e-8;

  public Candidate {
    if (factors == null || factors.length == 0) {
      throw new IllegalArgumentException("a candidate needs at least one factor");
    }
    factors = factors.clone();
    for (int i = 0; i < factors.length; i++) {
      if (!(Double.isFinite(factors[i]) && factors[i] > 0)) {
        throw new IllegalArgumentException(
            "factor " + i + " must be a finite number > 0, got " + factors[i]);
      }
    }
    if (startTokens < 0) {
      throw new IllegalArgumentException("start tokens n̂ must be >= 0, got " + startTokens);
    }
    if (!(Double.isFinite(scale) && scale > 0)) {
      throw new IllegalArgumentException("scale must be a finite number > 0, got " + scale);
    }
  }

  @Override
  public double[] factors() {
    return factors.clone();
  }

  /** λᵢ. */
  public double factor(int i) {
    return factors[i];
  }

  /** d/2. */
  public int pairs() {
    return factors.length;
  }

  public Candidate withStartTokens(int n) {
    return new Candidate(factors, n, scale);
  }

  public Candidate withFactors(double[] lambda) {
    return new Candidate(lambda, startTokens, scale);
  }

  /** Non-decreasing in i. */
  public boolean isMonotone() {
    for (int i = 1; i < factors.length; i++) {
      if (factors[i] < factors[i - 1]) {
        return false;
      }
    }
    return true;
  }

  /** Same n̂ and s, factors allclose to {@code other}'s (other is the reference, as numpy). */
  public boolean closeTo(Candidate other) {
    return startTokens == other.startTokens
        && scale == other.scale
        && allclose(factors, other.factors);
  }

  /** The factors alone are allclose (n̂ and s ignored). */
  public boolean factorsCloseTo(Candidate other) {
    return scale == other.scale && allclose(factors, other.factors);
  }

  /** numpy.allclose(a, b): |a − b| ≤ atol + rtol·|b| element-wise. */
  public static boolean allclose(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!(Math.abs(a[i] - b[i]) <= ATOL + RTOL * Math.abs(b[i]))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Candidate c
        && startTokens == c.startTokens
        && Double.compare(scale, c.scale) == 0
        && Arrays.equals(factors, c.factors);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(factors) + startTokens) + Double.hashCode(scale);
  }

  @Override
  public String toString() {
    return "Candidate[n̂=" + startTokens + ", s=" + scale + ", λ=" + Arrays.toString(factors) + "]";
  }
}
