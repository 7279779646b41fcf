package io.github.longrope.search;

import io.github.longrope.rope.FactorTable;
import java.util.List;

/**
 * The outcome of a search.
 *
 * @param best the best candidate (λ as searched, n̂, s)
 * @param fitness its fitness
 * @param factors the factors to use: λ, λ2 ⊙ λ1 (relative search) or the short set
 * @param scale the RoPE scale s of the result (auto-rescale may lower it)
 * @param bestPerIteration best fitness at the start of each iteration (the official {@code
 *     result_itNNN} values), then the final one
 * @param seeds fitness of each initial individual (the baselines PI, NTK, YaRN, …)
 * @param rescaleTrials auto-rescale: fitness of each (scale, seed) tried
 * @param evaluations distinct candidates the search visited
 * @param evaluatedNow candidates evaluated in this session
 * @param cacheHits candidates whose fitness came from the history
 * @param skipped children given up (mutation found no novel valid candidate)
 * @param seconds wall time of this session
 * @param fitnessSeconds time inside fitness calls in this session (summed over workers)
 * @param cost forward tokens, rejections and the best-vs-tokens curve of the whole history (a
 *     resumed run's earlier sessions included)
 */
public record SearchResult(
    Candidate best,
    double fitness,
    FactorTable factors,
    double scale,
    List<Double> bestPerIteration,
    List<SeedFitness> seeds,
    List<ScaleTrial> rescaleTrials,
    long evaluations,
    long evaluatedNow,
    long cacheHits,
    long skipped,
    double seconds,
    double fitnessSeconds,
    SearchCost cost) {

  public SearchResult {
    bestPerIteration = List.copyOf(bestPerIteration);
    seeds = List.copyOf(seeds);
    rescaleTrials = List.copyOf(rescaleTrials);
  }

  /** The fitness of an initial individual. */
  public record SeedFitness(String name, double fitness) {}

  /** One auto-rescale trial. */
  public record ScaleTrial(double scale, String seed, double fitness) {}
}
