package io.github.longrope.search;

/**
 * Where mutation and crossover may go: d/2 factors on a grid of {@code step}, bounded by 1 below
 * and {@code maxFactor} above (upstream's {@code evo_max} = 1 + s), monotone non-decreasing.
 *
 * @param pairs d/2
 * @param scale the search scale s (the length ratio of this stage; PI value of {@code
 *     dim_piece_mono}'s upper piece)
 * @param maxFactor upper bound of λ
 * @param step grid step
 * @param probability per-gene mutation / crossover probability
 */
public record SearchSpace(
    int pairs, double scale, double maxFactor, double step, double probability) {
  public SearchSpace {
    if (pairs < 1) {
      throw new IllegalArgumentException("d/2 must be >= 1, got " + pairs);
    }
    if (!(Double.isFinite(scale) && scale > 0)) {
      throw new IllegalArgumentException("search scale must be > 0, got " + scale);
    }
    if (!(Double.isFinite(maxFactor) && maxFactor >= 1)) {
      throw new IllegalArgumentException("max factor must be >= 1, got " + maxFactor);
    }
  }

  /** The space of a config at search scale s. */
  public static SearchSpace of(SearchConfig c, int pairs, double scale) {
    return new SearchSpace(pairs, scale, c.maxFactor(scale), c.step(), c.mutationProbability());
  }

  public SearchSpace withScale(double s, SearchConfig c) {
    return of(c, pairs, s);
  }
}
