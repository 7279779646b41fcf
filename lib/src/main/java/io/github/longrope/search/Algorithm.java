package io.github.longrope.search;

import java.util.Locale;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A genetic algorithm's variation operators (docs/method.md, "Mutation and crossover (dim_mono)"
 * and "Piecewise factors (dim_piece_mono)"): the search loop is shared, the algorithms differ only
 * in how they mutate and cross over, and in what a valid genome is.
 *
 * <p>Mutation never touches n̂ (the start-token search changes it; docs/method.md, "Start-token
 * search"); crossover may copy n̂ from the second parent when n̂ is searched.
 */
public sealed interface Algorithm permits DimMono, DimPieceMono, CriticalDim {

  /** The config spelling: {@code dim_mono}, {@code dim_piece_mono} or {@code critical_dim}. */
  String name();

  /** The algorithm named in a config. */
  static Algorithm of(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "dim_mono":
        return new DimMono();
      case "dim_piece_mono":
        return new DimPieceMono();
      case "critical_dim":
        throw new IllegalArgumentException(
            "critical_dim needs the model's critical pairs: use Algorithm.of(config, problem)");
      default:
        throw new IllegalArgumentException(
            "unknown algorithm '" + name + "'; known: dim_mono, dim_piece_mono, critical_dim");
    }
  }

  /**
   * The algorithm of a config for a problem: {@code critical_dim} takes its critical pairs from the
   * problem ({@link SearchProblem#critical}) and searches [s, max_factor] at the problem's search
   * scale; it extends the first (long-factor) search only.
   */
  static Algorithm of(SearchConfig config, SearchProblem problem) {
    if (!config.algorithm().equals("critical_dim")) {
      return of(config.algorithm());
    }
    if (problem.critical() == null) {
      throw new IllegalArgumentException(
          "critical_dim needs the critical pairs of the model (SearchJob.plan computes them)");
    }
    if (problem.target().mode() != RopeTarget.Mode.LONG) {
      throw new IllegalArgumentException(
          "critical_dim searches long factors (--mode long), not "
              + problem.target().mode().toString().toLowerCase(Locale.ROOT)
              + " factors");
    }
    double s = problem.searchScale();
    return CriticalDim.of(problem.critical(), s, config.maxFactor(s));
  }

  /** The genome of an initial individual. */
  Genome initial(Candidate seed);

  /** One mutation attempt; the caller retries until {@link #valid} and novel. */
  Genome mutateOnce(Genome parent, SearchSpace space, RandomGenerator rng);

  /** λ non-decreasing (and, for pieces, 0 ≤ α ≤ β). */
  boolean valid(Genome g);

  /**
   * Crossover of a better parent p1 and a worse p2 (docs/method.md, "Mutation and crossover
   * (dim_mono)"): none when the parents are the same individual; otherwise start from p1 and, in up
   * to {@code maxTries} passes over the genes, copy each gene from p2 with probability p·0.5
   * (changes accumulate) until the child is valid and novel.
   *
   * @return the child, or null when every pass failed
   */
  default Genome crossover(
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
    boolean pieces = this instanceof DimPieceMono;
    double[] lambda = a.factors();
    double[] other = b.factors();
    int n = a.startTokens();
    int alpha = p1.alpha();
    int beta = p1.beta();
    for (int pass = 0; pass < maxTries; pass++) {
      if (pieces && copyGene(space, rng)) {
        alpha = p2.alpha();
        beta = p2.beta();
      }
      if (startTokens && copyGene(space, rng)) {
        n = b.startTokens();
      }
      for (int j = 0; j < lambda.length; j++) {
        if (copyGene(space, rng)) {
          lambda[j] = other[j];
        }
      }
      Genome child = new Genome(new Candidate(lambda, n, a.scale()), alpha, beta);
      if (valid(child) && novel.test(child)) {
        return child;
      }
    }
    return null;
  }

  private static boolean copyGene(SearchSpace space, RandomGenerator rng) {
    return rng.nextDouble() < space.probability() && rng.nextDouble() < 0.5;
  }

  /**
   * Sets λⱼ to a uniform grid value between its neighbours in the current (partially mutated)
   * vector, inclusive: [1, λ₁] for the first, [λⱼ₋₁, λⱼ₊₁] inside, [λⱼ₋₁, max] for the last. The
   * grid is anchored at the lower bound (T16 in docs/method.md, "Reference values"). An empty range
   * leaves λⱼ unchanged.
   */
  static void neighbourBounded(double[] lambda, int j, SearchSpace space, RandomGenerator rng) {
    int last = lambda.length - 1;
    double lo = j == 0 ? 1.0 : lambda[j - 1];
    double hi = j == last ? space.maxFactor() : lambda[j + 1];
    int size = FactorGrid.size(lo, hi, space.step());
    if (size > 0) {
      lambda[j] = FactorGrid.value(lo, rng.nextInt(size), space.step());
    }
  }
}
