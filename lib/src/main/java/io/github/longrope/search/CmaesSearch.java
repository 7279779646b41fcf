package io.github.longrope.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Algorithm {@code cmaes} (docs/method.md, "CMA-ES"): the {@link CmaEs} strategy over the same
 * monotone factor space as {@code dim_mono}, through the same {@link Evaluator}, run record and
 * result. A sample-efficient alternative to the paper's evolution.
 *
 * <p>The search variable is a vector x of d/2 increments: λⱼ = 1 + Σᵢ≤ⱼ |xᵢ|, clipped to the
 * space's upper bound and rounded to its grid. Every point of ℝ^{d/2} maps to a valid candidate
 * (non-decreasing, within [1, max]), so nothing is rejected for being invalid and the strategy
 * needs no constraint handling. Generation 0 evaluates the seeds (PI, NTK, YaRN, …), as the
 * evolution does; the strategy starts at the best seed's increments with step size {@code
 * cmaes.sigma}, then runs {@code iterations} generations of {@code cmaes.population} candidates.
 * The result is the best candidate evaluated.
 *
 * <p>A candidate that maps onto one already evaluated (the grid) takes its cached fitness. Racing
 * ({@link Racing}): the first μ candidates of a generation are evaluated in full, the rest raced
 * against the worst of them: a candidate at or above it cannot be among the μ best that move the
 * strategy, so with the certain floor a raced run takes exactly the path of an unraced one.
 * Resuming replays from the seed with the history as the cache, as the evolution does.
 */
final class CmaesSearch {
  private final SearchConfig config;
  private final SearchProblem problem;

  CmaesSearch(SearchConfig config, SearchProblem problem) {
    this.config = config;
    this.problem = problem;
    if (config.autoRescale()) {
      throw new IllegalArgumentException(
          "search config: key 'auto_rescale': not supported by algorithm 'cmaes'");
    }
    if (config.startTokens().search()) {
      throw new IllegalArgumentException(
          "search config: key 'start_tokens.search': the n̂ search is not supported by algorithm"
              + " 'cmaes'");
    }
  }

  /** λ of increments x: 1 + cumulative |x|, clipped to [1, max] and rounded to the grid. */
  static double[] factors(double[] x, SearchSpace space) {
    double[] lambda = new double[x.length];
    double sum = 1;
    for (int i = 0; i < x.length; i++) {
      sum += Math.abs(x[i]);
      double v = Math.min(space.maxFactor(), sum);
      double grid = 1 + Math.round((v - 1) / space.step()) * space.step();
      lambda[i] = Math.max(1, Math.min(space.maxFactor(), grid));
    }
    // rounding is monotone, but keep the invariant explicit against floating-point ties
    for (int i = 1; i < lambda.length; i++) {
      lambda[i] = Math.max(lambda[i], lambda[i - 1]);
    }
    return lambda;
  }

  /** The increments of a non-decreasing λ (λ₀ − 1, λ₁ − λ₀, …), clipped at 0. */
  static double[] increments(double[] lambda) {
    double[] x = new double[lambda.length];
    double prev = 1;
    for (int i = 0; i < lambda.length; i++) {
      x[i] = Math.max(0, lambda[i] - prev);
      prev = Math.max(prev, lambda[i]);
    }
    return x;
  }

  SearchResult run(Evaluator evaluator, RunRecord record, SearchListener listener) {
    return new Run(evaluator, record, listener).run();
  }

  private final class Run {
    final SearchLedger ledger;
    final SplittableRandom rng = new SplittableRandom(config.seed());
    final Racing racing = config.racingOrOff();
    final SearchSpace space;
    final double scale;
    final int generations = config.effectiveIterations();
    final int populationSize;
    Candidate best;
    double bestFitness = Double.POSITIVE_INFINITY;

    Run(Evaluator evaluator, RunRecord record, SearchListener listener) {
      this.scale = problem.target().scale();
      this.space = SearchSpace.of(config, problem.pairs(), problem.searchScale());
      this.populationSize = config.cmaes().populationFor(problem.pairs());
      long expected = problem.seeds().size() + (long) generations * populationSize;
      this.ledger = new SearchLedger(evaluator, record, listener, generations, expected);
    }

    SearchResult run() {
      SearchListener listener = ledger.listener();
      ledger.generation(0);
      Evaluator.checkCancelled();
      List<Candidate> seeds = new ArrayList<>();
      for (InitialFactors.Seed s : problem.seeds()) {
        seeds.add(new Candidate(s.factors(), problem.startTokens(), scale));
      }
      listener.generationStarted(0, generations, seeds.size());
      double[] seedFitness = evaluate(seeds, Collections.nCopies(seeds.size(), Racing.Race.NONE));
      List<SearchResult.SeedFitness> seedList = new ArrayList<>();
      int bestSeed = 0;
      for (int i = 0; i < seeds.size(); i++) {
        seedList.add(new SearchResult.SeedFitness(problem.seeds().get(i).name(), seedFitness[i]));
        if (seedFitness[i] < seedFitness[bestSeed]) {
          bestSeed = i;
        }
      }
      listener.generationFinished(0, ledger.progress());
      CmaEs es =
          new CmaEs(
              increments(seeds.get(bestSeed).factors()),
              config.cmaes().sigmaOrDefault(),
              populationSize,
              rng);
      List<Double> bestPerIteration = new ArrayList<>();
      for (int it = 0; it < generations; it++) {
        bestPerIteration.add(bestFitness);
        ledger.writeIteration(it, problem.target(), best);
        int generation = it + 1;
        ledger.generation(generation);
        Evaluator.checkCancelled();
        double[][] xs = es.ask();
        List<Candidate> batch = new ArrayList<>();
        for (double[] x : xs) {
          batch.add(new Candidate(factors(x, space), problem.startTokens(), scale));
        }
        listener.generationStarted(generation, generations, batch.size());
        int mu = es.mu();
        double[] values = new double[batch.size()];
        double[] head = evaluate(batch.subList(0, mu), Collections.nCopies(mu, Racing.Race.NONE));
        System.arraycopy(head, 0, values, 0, mu);
        Racing.Race race = race(batch.subList(0, mu), head);
        List<Candidate> tail = batch.subList(mu, batch.size());
        double[] rest = evaluate(tail, Collections.nCopies(tail.size(), race));
        System.arraycopy(rest, 0, values, mu, rest.length);
        es.tell(xs, values);
        listener.generationFinished(generation, ledger.progress());
      }
      bestPerIteration.add(bestFitness);
      return ledger.finish(
          best,
          bestFitness,
          problem.target().effective(best),
          scale,
          bestPerIteration,
          seedList,
          List.of(),
          ledger.known(),
          0);
    }

    /** The race of the tail: against the worst of the head, when all of the head is exact. */
    Racing.Race race(List<Candidate> head, double[] values) {
      double threshold = Double.NEGATIVE_INFINITY;
      List<double[]> headLosses = new ArrayList<>();
      for (int i = 0; i < head.size(); i++) {
        if (ledger.rejected(head.get(i))) {
          return Racing.Race.NONE; // a cached rejection is a bound, not a value
        }
        threshold = Math.max(threshold, values[i]);
        double[] l = ledger.losses(head.get(i));
        if (l != null) {
          headLosses.add(l);
        }
      }
      return racing.race(threshold, headLosses);
    }

    /** Ranks of the candidates (cached ones cost nothing), in order; tracks the best candidate. */
    double[] evaluate(List<Candidate> batch, List<Racing.Race> races) {
      double[] out = ledger.evaluate(batch, races);
      for (int k = 0; k < batch.size(); k++) {
        if (!ledger.rejected(batch.get(k)) && out[k] < bestFitness) {
          bestFitness = out[k];
          best = batch.get(k);
        }
      }
      return out;
    }
  }
}
