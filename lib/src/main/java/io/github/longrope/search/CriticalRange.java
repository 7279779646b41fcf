package io.github.longrope.search;

import io.github.longrope.rope.CriticalDimension;

/**
 * The critical pairs a {@code critical_dim} search may choose (LongRoPE2's d_rcd), with the
 * theoretical values they came from, so that a run records both (docs/method.md, "Critical
 * dimension (LongRoPE2)").
 *
 * @param low smallest critical pair tried (default d10_tcd/2)
 * @param high largest critical pair tried (default d_tcd/2, at most d/2 − 1)
 * @param start critical pair of the initial individuals (default {@code high})
 * @param trainLength L_train the theory used
 * @param theoreticalPair d_tcd/2 (unclamped: d/2 when every pair completes a period)
 * @param tenPeriodPair d10_tcd/2
 */
public record CriticalRange(
    int low, int high, int start, int trainLength, int theoreticalPair, int tenPeriodPair) {
  public CriticalRange {
    if (low < 0 || low > high) {
      throw new IllegalArgumentException(
          "critical pairs: need 0 <= low <= high, got low " + low + ", high " + high);
    }
    if (start < low || start > high) {
      throw new IllegalArgumentException(
          "critical pairs: start " + start + " is outside [" + low + ", " + high + "]");
    }
  }

  /**
   * The range for a model: the config's pairs where given, else [d10_tcd/2, d_tcd/2] at L_train,
   * with the upper end kept below d/2 so that at least one pair is searched.
   *
   * @param knobs the config's {@code critical_dim} object
   * @param theory d, b and L_train
   */
  public static CriticalRange resolve(SearchConfig.CriticalPairs knobs, CriticalDimension theory) {
    int pairs = theory.geometry().pairs();
    int tcd = theory.theoreticalPair();
    int ten = theory.tenPeriodPair();
    int high = knobs.high() != null ? knobs.high() : Math.min(tcd, pairs - 1);
    int low = knobs.low() != null ? knobs.low() : Math.min(ten, high);
    int start = knobs.start() != null ? knobs.start() : high;
    if (high >= pairs) {
      throw new IllegalArgumentException(
          "search config: key 'critical_dim.high': "
              + high
              + " is not a pair of this model (d/2 = "
              + pairs
              + ")");
    }
    try {
      return new CriticalRange(low, high, start, theory.trainLength(), tcd, ten);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("search config: key 'critical_dim': " + e.getMessage(), e);
    }
  }

  /** d_tcd in dimensions. */
  public int theoreticalDims() {
    return 2 * theoreticalPair;
  }

  /** d10_tcd in dimensions. */
  public int tenPeriodDims() {
    return 2 * tenPeriodPair;
  }

  /** One line for a log or report. */
  public String text() {
    return String.format(
        java.util.Locale.ROOT,
        "critical dimension at L_train=%d: d_tcd=%d (pair %d), d10_tcd=%d (pair %d);"
            + " d_rcd searched in pairs [%d, %d], starting at %d",
        trainLength,
        theoreticalDims(),
        theoreticalPair,
        tenPeriodDims(),
        tenPeriodPair,
        low,
        high,
        start);
  }
}
