package io.github.longrope.rope;

import java.util.Arrays;

/**
 * Which RoPE pairs a model saw complete periods of in training (LongRoPE2's critical dimension).
 *
 * <p>Pair i rotates with period Tᵢ = 2π/θᵢ = 2π·b^(2i/d); over the training length L_train it
 * completes L_train/Tᵢ periods. Pairs whose period exceeds L_train never saw a whole turn, so at
 * longer positions they meet angles that are out of distribution: these are the pairs that need
 * interpolation, and the ones below can be left nearly as they are. Solving Tᵢ = L_train/k for i
 * gives xₖ = (d/2)·log_b(L_train/(2πk)); the first pair with fewer than k periods is ⌈xₖ⌉.
 *
 * <ul>
 *   <li>the <b>theoretical critical dimension</b> d_tcd = 2⌈(d/2)·log_b(L_train/2π)⌉ (k = 1; in
 *       dimensions, so pair d_tcd/2): Phi3-mini (d 96, b 10⁴, L_train 2048) gives 62 (pair 31),
 *       LLaMA3-8B (d 128, b 5·10⁵, L_train 8192) pair 35;
 *   <li><b>d10_tcd</b>, the same with k = 10: the first pair with fewer than ten periods in
 *       L_train, the lower end of the range the critical-dimension search tries (pair 19 for
 *       Phi3-mini, 24 for LLaMA3-8B).
 * </ul>
 *
 * <p>The pair indices are clamped to [0, d/2]: d/2 means that every pair completes k periods.
 *
 * @param geometry d and b
 * @param trainLength L_train, the length the model was pre-trained at (its original length)
 */
public record CriticalDimension(RopeGeometry geometry, int trainLength) {

  /** Periods in L_train at the lower end of the searched range (the paper's d10_tcd). */
  public static final int LOWER_PERIODS = 10;

  public CriticalDimension {
    Checks.require(geometry != null, "geometry is required");
    Checks.positive(trainLength, "training length L_train");
  }

  /** Tᵢ = 2π/θᵢ. */
  public double period(int pair) {
    return 2 * Math.PI / geometry.theta(pair);
  }

  /** Every pair's period Tᵢ. */
  public double[] periods() {
    double[] t = new double[geometry.pairs()];
    Arrays.setAll(t, this::period);
    return t;
  }

  /** L_train/Tᵢ: how many whole turns pair i made over the training length. */
  public double periodsInTraining(int pair) {
    return trainLength / period(pair);
  }

  /** xₖ = (d/2)·log_b(L_train/(2πk)), unrounded. */
  public double rawPair(double periods) {
    Checks.positiveFinite(periods, "period count");
    return geometry.pairs()
        * Math.log(trainLength / (2 * Math.PI * periods))
        / Math.log(geometry.base());
  }

  /** The first pair with fewer than k periods in L_train: ⌈xₖ⌉ clamped to [0, d/2]. */
  public int pairWithPeriods(double periods) {
    double x = rawPair(periods);
    return (int) Math.max(0, Math.min(geometry.pairs(), Math.ceil(x)));
  }

  /** The theoretical critical pair d_tcd/2. */
  public int theoreticalPair() {
    return pairWithPeriods(1);
  }

  /** d_tcd in dimensions, 2⌈(d/2)·log_b(L_train/2π)⌉. */
  public int theoreticalDims() {
    return 2 * theoreticalPair();
  }

  /** d10_tcd/2, the first pair with fewer than ten periods. */
  public int tenPeriodPair() {
    return pairWithPeriods(LOWER_PERIODS);
  }

  /** d10_tcd in dimensions. */
  public int tenPeriodDims() {
    return 2 * tenPeriodPair();
  }

  /**
   * Factors for a critical pair r at scale s with λ_r = {@code top}: pairs ≥ r keep {@code above}
   * (copied), pairs below follow NTK scaling with its base re-solved so that it reaches λ_r at r.
   *
   * <p>NTK multiplies the base by κ, so λᵢ = κ^(2i/d); meeting λ_r at pair r gives κ^(2r/d) = λ_r,
   * hence λᵢ = λ_r^(i/r): independent of d and b, 1 at pair 0 and increasing up to λ_r.
   *
   * @param lambda the full vector; only entries ≥ r are read
   * @param r the critical pair, in [0, d/2)
   */
  public static double[] ntkBelow(double[] lambda, int r) {
    Checks.require(
        r >= 0 && r < lambda.length, "critical pair must be in [0, %d), got %d", lambda.length, r);
    double top = lambda[r];
    Checks.atLeastOne(top, "λ at the critical pair");
    double[] out = lambda.clone();
    for (int i = 0; i < r; i++) {
      out[i] = Math.pow(top, (double) i / r);
    }
    return out;
  }

  /**
   * The critical-dimension seed at scale s: λ = s from the theoretical critical pair up, NTK below
   * (λᵢ = s^(i/r)). With no critical pair (every pair completes a period) it is all ones.
   */
  public FactorTable seed(double scale) {
    Checks.atLeastOne(scale, "scale");
    int r = theoreticalPair();
    double[] lambda = new double[geometry.pairs()];
    if (r >= lambda.length) {
      Arrays.fill(lambda, 1.0);
      return FactorTable.of(lambda);
    }
    Arrays.fill(lambda, scale);
    return FactorTable.of(ntkBelow(lambda, r));
  }
}
