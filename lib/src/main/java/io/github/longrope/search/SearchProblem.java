package io.github.longrope.search;

import java.util.List;
import java.util.Objects;

/**
 * What is searched, apart from the hyper-parameters: how candidates become RoPE ({@link
 * RopeTarget}), the search scale s of this stage (the grid's upper bound 1 + s and the PI value of
 * the upper piece), the initial individuals and their n̂.
 *
 * @param searchScale the length ratio of this stage (stage 3: L′ over the fine-tuned length)
 * @param seeds initial individuals, in order (see {@link InitialFactors})
 * @param startTokens n̂ of the initial individuals
 * @param critical the critical pairs of a {@code critical_dim} search, else null
 */
public record SearchProblem(
    RopeTarget target,
    double searchScale,
    List<InitialFactors.Seed> seeds,
    int startTokens,
    CriticalRange critical) {
  /** A problem without critical pairs (every algorithm but {@code critical_dim}). */
  public SearchProblem(
      RopeTarget target, double searchScale, List<InitialFactors.Seed> seeds, int startTokens) {
    this(target, searchScale, seeds, startTokens, null);
  }

  public SearchProblem {
    Objects.requireNonNull(target, "target");
    if (!(Double.isFinite(searchScale) && searchScale > 0)) {
      throw new IllegalArgumentException("search scale must be > 0, got " + searchScale);
    }
    seeds = List.copyOf(seeds);
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("the search needs at least one initial individual");
    }
    int pairs = seeds.get(0).factors().length;
    for (InitialFactors.Seed s : seeds) {
      if (s.factors().length != pairs) {
        throw new IllegalArgumentException(
            "seed '" + s.name() + "' has " + s.factors().length + " factors, expected " + pairs);
      }
    }
    if (target.base() != null && target.base().width() != pairs) {
      throw new IllegalArgumentException(
          "base factors have "
              + target.base().width()
              + " values per row but the seeds have "
              + pairs);
    }
    if (startTokens < 0) {
      throw new IllegalArgumentException("start tokens must be >= 0, got " + startTokens);
    }
    if (critical != null && critical.high() >= pairs) {
      throw new IllegalArgumentException(
          "critical pair " + critical.high() + " is not below d/2 = " + pairs);
    }
  }

  /** The same problem with critical pairs. */
  public SearchProblem withCritical(CriticalRange range) {
    return new SearchProblem(target, searchScale, seeds, startTokens, range);
  }

  /** d/2. */
  public int pairs() {
    return seeds.get(0).factors().length;
  }
}
