package io.github.longrope.search;

import io.github.longrope.rope.CriticalDimension;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * {@code critical_dim}, LongRoPE2's search (docs/method.md, "Critical-dimension search
 * (critical_dim)"): the genome is a critical pair r in [{@code low}, {@code high}] (kept in {@link
 * Genome#alpha}) and factors with
 *
 * <ul>
 *   <li>pairs ≥ r in [s, {@code maxFactor}] (default 2s), non-decreasing, mutated as in {@code
 *       dim_mono} except that pair r is bounded below by s instead of by its neighbour;
 *   <li>pairs &lt; r following NTK scaling with the base re-solved to meet λ_r at r: λᵢ = λ_r^(i/r)
 *       ({@link CriticalDimension#ntkBelow}).
 * </ul>
 *
 * <p>A mutation first moves r, with probability p, to ⌊Normal(r, 2)⌋ redrawn into the range (pairs
 * that become searched are raised to at least s), then mutates each searched pair with probability
 * p, then re-derives the pairs below. Crossover takes r from either parent and searched genes from
 * the second parent with probability p·0.5, as {@code dim_mono} does.
 *
 * <p>The same factor vector can satisfy the structure for several r (when the NTK curve already
 * reaches s below r); a genome always holds the smallest such r ({@link #criticalPair}), so the r a
 * run reports is a function of its factors.
 *
 * @param scale s, the lower bound of the searched pairs
 * @param maxFactor their upper bound
 */
public record CriticalDim(int low, int high, int start, double scale, double maxFactor)
    implements Algorithm {
  /** Standard deviation of the move of r. */
  static final double PAIR_SD = 2.0;

  /** Relative tolerance of the NTK structure check (the values are recomputed with pow). */
  static final double NTK_RTOL = 1e-9;

  public CriticalDim {
    new CriticalRange(low, high, start, 1, 0, 0); // validates the pairs
    if (!(Double.isFinite(scale) && scale >= 1)) {
      throw new IllegalArgumentException("critical_dim needs a scale s >= 1, got " + scale);
    }
    if (!(maxFactor >= scale)) {
      throw new IllegalArgumentException(
          "search config: key 'max_factor': critical_dim searches [s, max_factor] above the"
              + " critical pair, so max_factor must be >= s = "
              + scale
              + ", got "
              + maxFactor);
    }
  }

  /** The algorithm for a range at search scale s with upper bound {@code maxFactor}. */
  public static CriticalDim of(CriticalRange range, double scale, double maxFactor) {
    return new CriticalDim(range.low(), range.high(), range.start(), scale, maxFactor);
  }

  @Override
  public String name() {
    return "critical_dim";
  }

  /**
   * A seed projected onto the structure at the start pair: pairs from it up clamped into [s,
   * maxFactor] (running maximum), NTK below.
   */
  @Override
  public Genome initial(Candidate seed) {
    double[] lambda = seed.factors();
    checkPairs(lambda.length);
    double run = scale;
    for (int i = start; i < lambda.length; i++) {
      run = Math.min(maxFactor, Math.max(run, lambda[i]));
      lambda[i] = run;
    }
    return genome(seed, CriticalDimension.ntkBelow(lambda, start));
  }

  @Override
  public Genome mutateOnce(Genome parent, SearchSpace space, RandomGenerator rng) {
    double[] lambda = parent.candidate().factors();
    int r = parent.alpha();
    if (high > low && rng.nextDouble() < space.probability()) {
      int moved = r;
      for (int draw = 0; draw < 100 && (moved == r || moved < low || moved > high); draw++) {
        moved = (int) (r + PAIR_SD * rng.nextGaussian());
      }
      if (moved >= low && moved <= high) {
        for (int i = moved; i < r; i++) {
          lambda[i] = Math.max(scale, lambda[i]); // newly searched pairs enter [s, λ_r]
        }
        r = moved;
      }
    }
    for (int j = r; j < lambda.length; j++) {
      if (rng.nextDouble() < space.probability()) {
        double lo = j == r ? scale : lambda[j - 1];
        double hi = j == lambda.length - 1 ? maxFactor : lambda[j + 1];
        int size = FactorGrid.size(lo, hi, space.step());
        if (size > 0) {
          // clamped: the grid's top value may pass hi by an ulp
          lambda[j] = Math.min(hi, FactorGrid.value(lo, rng.nextInt(size), space.step()));
        }
      }
    }
    return genome(parent.candidate(), CriticalDimension.ntkBelow(lambda, r));
  }

  @Override
  public boolean valid(Genome g) {
    return g.alpha() >= low && g.alpha() <= high && fits(g.candidate().factors(), g.alpha());
  }

  /**
   * Crossover of a better p1 and a worse p2: the critical pair comes from p2 with probability
   * p·0.5, else from p1; each searched gene from p2 with the same probability (changes accumulate
   * over up to {@code maxTries} passes); pairs below are re-derived.
   */
  @Override
  public Genome crossover(
      Genome p1,
      Genome p2,
      SearchSpace space,
      int maxTries,
      boolean startTokens,
      RandomGenerator rng,
      Predicate<Genome> novel) {
    Candidate a = p1.candidate();
    Candidate b = p2.candidate();
    if (a.closeTo(b)) {
      return null;
    }
    double[] lambda = a.factors();
    double[] other = b.factors();
    int n = a.startTokens();
    int r = p1.alpha();
    for (int pass = 0; pass < maxTries; pass++) {
      if (copyGene(space, rng)) {
        r = p2.alpha();
      }
      if (startTokens && copyGene(space, rng)) {
        n = b.startTokens();
      }
      for (int j = r; j < lambda.length; j++) {
        if (copyGene(space, rng)) {
          lambda[j] = other[j];
        }
      }
      double[] child = lambda.clone();
      for (int j = r; j < child.length; j++) {
        child[j] = Math.max(scale, child[j]);
      }
      Genome g =
          genome(new Candidate(a.factors(), n, a.scale()), CriticalDimension.ntkBelow(child, r));
      if (valid(g) && novel.test(g)) {
        return g;
      }
    }
    return null;
  }

  private static boolean copyGene(SearchSpace space, RandomGenerator rng) {
    return rng.nextDouble() < space.probability() && rng.nextDouble() < 0.5;
  }

  /**
   * The smallest critical pair in [low, high] whose structure the factors satisfy, or −1 when none
   * does: the d_rcd of a result.
   */
  public int criticalPair(double[] lambda) {
    for (int r = low; r <= Math.min(high, lambda.length - 1); r++) {
      if (fits(lambda, r)) {
        return r;
      }
    }
    return -1;
  }

  /** Pairs ≥ r in [s, maxFactor] and non-decreasing; pairs below λ_r^(i/r). */
  boolean fits(double[] lambda, int r) {
    if (r < 0 || r >= lambda.length) {
      return false;
    }
    double eps = 1e-12 * maxFactor;
    for (int j = r; j < lambda.length; j++) {
      if (lambda[j] < scale - eps || lambda[j] > maxFactor + eps) {
        return false;
      }
      if (j > r && lambda[j] < lambda[j - 1]) {
        return false;
      }
    }
    for (int i = 0; i < r; i++) {
      double expected = Math.pow(lambda[r], (double) i / r);
      if (!(Math.abs(lambda[i] - expected) <= NTK_RTOL * expected)) {
        return false;
      }
    }
    return true;
  }

  private Genome genome(Candidate template, double[] lambda) {
    int r = criticalPair(lambda);
    return new Genome(template.withFactors(lambda), r < 0 ? start : r, 0);
  }

  private void checkPairs(int pairs) {
    if (high >= pairs) {
      throw new IllegalArgumentException(
          "critical_dim: critical pair " + high + " is not below d/2 = " + pairs);
    }
  }
}
