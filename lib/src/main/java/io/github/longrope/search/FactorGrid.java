package io.github.longrope.search;

/**
 * The value grid of {@code dim_mono} mutation (docs/method.md, "Mutation and crossover (dim_mono)";
 * T16), with inclusive bounds defined exactly instead of numpy's float {@code arange}, which may or
 * may not yield an extra end point.
 *
 * <p>Values are {@code lo + k·step} for k = 0, 1, … while they do not exceed {@code hi} (with a
 * 1e-9·step tolerance): the grid is anchored at the lower neighbour, so non-grid initial factors
 * propagate, as upstream.
 */
public final class FactorGrid {
  private FactorGrid() {}

  /** The global upper bound of λ for length scale s: 1 + s (upstream's {@code evo_max}). */
  public static double upperBound(double scale) {
    return 1 + scale;
  }

  /** All grid values in [lo, hi], inclusive, anchored at lo. */
  public static double[] between(double lo, double hi, double step) {
    int n = size(lo, hi, step);
    double[] values = new double[n];
    for (int k = 0; k < n; k++) {
      values[k] = value(lo, k, step);
    }
    return values;
  }

  /** The number of values {@link #between} returns (0 when hi &lt; lo). */
  public static int size(double lo, double hi, double step) {
    if (!(step > 0) || !Double.isFinite(step)) {
      throw new IllegalArgumentException("grid step must be a finite number > 0, got " + step);
    }
    if (!(hi >= lo)) {
      return 0;
    }
    return (int) Math.floor((hi - lo) / step + 1e-9) + 1;
  }

  /** The k-th value of the grid anchored at lo: {@code lo + k·step}. */
  public static double value(double lo, int k, double step) {
    return lo + k * step;
  }

  /** The global grid 1.00 … 1 + s. */
  public static double[] global(double scale, double step) {
    return between(1.0, upperBound(scale), step);
  }
}
