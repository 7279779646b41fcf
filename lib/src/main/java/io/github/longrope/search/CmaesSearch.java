package io.github.longrope.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
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
    final Evaluator evaluator;
    final RunRecord record;
    final SearchListener listener;
    final SplittableRandom rng = new SplittableRandom(config.seed());
    final CandidateSet cache = new CandidateSet();
    final CandidateSet rejected = new CandidateSet();
    final java.util.Map<Integer, double[]> losses = new java.util.HashMap<>();
    final Racing racing = config.racingOrOff();
    final SearchCost.Builder cost = new SearchCost.Builder();
    final SearchSpace space;
    final double scale;
    final int generations = config.effectiveIterations();
    final int populationSize;
    final long t0 = System.nanoTime();
    final long expected;
    int generation;
    long evaluatedNow;
    long cacheHits;
    double fitnessSeconds;
    Candidate best;
    double bestFitness = Double.POSITIVE_INFINITY;

    Run(Evaluator evaluator, RunRecord record, SearchListener listener) {
      this.evaluator = evaluator;
      this.record = record;
      this.listener = listener == null ? SearchListener.NONE : listener;
      this.scale = problem.target().scale();
      this.space = SearchSpace.of(config, problem.pairs(), problem.searchScale());
      this.populationSize = config.cmaes().populationFor(problem.pairs());
      this.expected = problem.seeds().size() + (long) generations * populationSize;
    }

    SearchResult run() {
      if (record != null) {
        for (HistoryEntry h : record.loaded()) {
          remember(h.candidate(), h.evaluation());
          cost.add(h);
        }
      }
      generation = 0;
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
      listener.generationFinished(0, progress());
      CmaEs es =
          new CmaEs(
              increments(seeds.get(bestSeed).factors()),
              config.cmaes().sigmaOrDefault(),
              populationSize,
              rng);
      List<Double> bestPerIteration = new ArrayList<>();
      for (int it = 0; it < generations; it++) {
        bestPerIteration.add(bestFitness);
        if (record != null) {
          record.writeIteration(it, problem.target().effective(best));
        }
        generation = it + 1;
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
        listener.generationFinished(generation, progress());
      }
      bestPerIteration.add(bestFitness);
      SearchResult result =
          new SearchResult(
              best,
              bestFitness,
              problem.target().effective(best),
              scale,
              bestPerIteration,
              seedList,
              List.of(),
              cache.size(),
              evaluatedNow,
              cacheHits,
              0,
              (System.nanoTime() - t0) / 1e9,
              fitnessSeconds,
              cost.build());
      if (record != null) {
        record.writeFinal(result);
      }
      return result;
    }

    /** The race of the tail: against the worst of the head, when all of the head is exact. */
    Racing.Race race(List<Candidate> head, double[] values) {
      double threshold = Double.NEGATIVE_INFINITY;
      List<double[]> headLosses = new ArrayList<>();
      for (int i = 0; i < head.size(); i++) {
        if (rejected.contains(head.get(i))) {
          return Racing.Race.NONE; // a cached rejection is a bound, not a value
        }
        threshold = Math.max(threshold, values[i]);
        double[] l = losses.get(cache.indexOf(head.get(i)));
        if (l != null) {
          headLosses.add(l);
        }
      }
      return racing.race(threshold, headLosses);
    }

    void remember(Candidate c, Evaluation e) {
      cache.put(c, e.rank());
      if (e.rejected()) {
        rejected.add(c);
      } else {
        if (e.losses().length > 0) {
          losses.put(cache.indexOf(c), e.losses());
        }
      }
    }

    /** Ranks of the candidates (cached ones cost nothing), in order. */
    double[] evaluate(List<Candidate> batch, List<Racing.Race> races) {
      List<Candidate> todo = new ArrayList<>();
      List<Racing.Race> todoRaces = new ArrayList<>();
      CandidateSet pending = new CandidateSet();
      for (int k = 0; k < batch.size(); k++) {
        Candidate c = batch.get(k);
        if (cache.value(c).isEmpty() && pending.add(c)) {
          todo.add(c);
          todoRaces.add(races.get(k));
        }
      }
      cacheHits += batch.size() - todo.size();
      int gen = generation;
      evaluator.evaluate(
          todo,
          todoRaces,
          new Evaluator.Listener() {
            @Override
            public void evaluated(int i, Candidate c, double f, double seconds) {
              evaluated(i, c, Evaluation.of(f), seconds);
            }

            @Override
            public void evaluated(int i, Candidate c, Evaluation e, double seconds) {
              remember(c, e);
              evaluatedNow++;
              fitnessSeconds += seconds;
              HistoryEntry h = HistoryEntry.of(gen, c, e, seconds);
              cost.add(h);
              if (record != null) {
                record.append(h);
              }
              listener.candidateEvaluated(c, e.rank(), progress());
            }
          });
      double[] out = new double[batch.size()];
      for (int k = 0; k < batch.size(); k++) {
        Candidate c = batch.get(k);
        OptionalDouble v = cache.value(c);
        if (v.isEmpty()) {
          throw new IllegalStateException("no fitness for " + c);
        }
        out[k] = v.getAsDouble();
        if (!rejected.contains(c) && out[k] < bestFitness) {
          bestFitness = out[k];
          best = c;
        }
      }
      return out;
    }

    SearchProgress progress() {
      double seconds = (System.nanoTime() - t0) / 1e9;
      double rate = seconds > 0 ? evaluatedNow / seconds : 0;
      long done = evaluatedNow + cacheHits;
      long left = Math.max(0, expected - done);
      return new SearchProgress(
          generation,
          generations,
          evaluatedNow,
          cacheHits,
          expected,
          bestFitness,
          rate,
          rate > 0 ? left / rate : Double.NaN);
    }
  }
}
