package io.github.longrope.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Algorithm {@code cmaes} (docs/method.md, "CMA-ES"): the {@link CmaEvolutionStrategy} strategy
 * over the same monotone factor space as {@code dim_mono}, through the same {@link Evaluator}, run
 * record and result. A sample-efficient alternative to the paper's evolution.
 *
 * <p>The search variable is log λ: a point x maps to exp(x) clipped to [1, max], projected onto the
 * nearest non-decreasing vector and rounded to the grid ({@link #factors}). Every point of ℝ^{d/2}
 * is a valid candidate, so the strategy needs no constraint handling, and a step of σ is a relative
 * change of about σ in every λᵢ, at the fast dimensions near 1 as at the slow ones near s. (A first
 * version searched cumulative increments |xᵢ| of λ: the fold biases every sampled increment
 * upwards, which pushes the plateaus of a seed — λ = 1 at the fast dimensions, s at the slow ones —
 * away from where the optimum keeps them; on a quadratic stand-in of the bundled model's problem it
 * closed at most 71% of the best seed's distance in a third of the paper's budget, this space 96%:
 * docs/method.md, "CMA-ES".) Generation 0 evaluates the seeds (PI, NTK, YaRN, …), as the evolution
 * does; the strategy starts at the best seed with step size {@code cmaes.sigma}, then runs {@code
 * iterations} generations of {@code cmaes.population} candidates. The result is the best candidate
 * evaluated.
 *
 * <p>With a {@code critical_dim} object the factors from its pair {@code start} on (default
 * d_tcd/2, the first pair whose period exceeds L_train) are held at or above s: LongRoPE2's reading
 * that the dimensions which never completed a period in training must be interpolated at least by
 * the length ratio, or positions beyond L_train reach them unseen. Without it the search is free to
 * fit the fitness length with λ below s there, which on the bundled model cost held-out perplexity
 * at twice the search length (results/search-compare). The seeds are projected onto the same space
 * (an NTK seed lies below s in the middle dimensions).
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

  /**
   * λ of a point x: exp(x) clipped to [1, max], projected onto the non-decreasing vectors (the
   * nearest one, by pool-adjacent-violators) and rounded to the grid.
   */
  static double[] factors(double[] x, SearchSpace space) {
    return factors(x, space, x.length);
  }

  /**
   * {@link #factors(double[], SearchSpace)} with λᵢ ≥ s for i ≥ {@code floorFrom}: the lower bound
   * is non-decreasing, so clipping the monotone projection to it keeps λ monotone. s is put on the
   * grid upwards, so that the rounded λ stays at or above it.
   */
  static double[] factors(double[] x, SearchSpace space, int floorFrom) {
    double floor =
        Math.min(
            space.maxFactor(),
            1 + Math.ceil((space.scale() - 1) / space.step() - 1e-9) * space.step());
    double[] v = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      v[i] = Math.max(low(i, floorFrom, floor), Math.min(space.maxFactor(), Math.exp(x[i])));
    }
    double[] lambda = nonDecreasing(v);
    for (int i = 0; i < lambda.length; i++) {
      double grid = 1 + Math.round((lambda[i] - 1) / space.step()) * space.step();
      lambda[i] = Math.max(low(i, floorFrom, floor), Math.min(space.maxFactor(), grid));
      // rounding is monotone, but keep the invariant explicit against floating-point ties
      lambda[i] = i == 0 ? lambda[i] : Math.max(lambda[i], lambda[i - 1]);
    }
    return lambda;
  }

  private static double low(int pair, int floorFrom, double floor) {
    return pair >= floorFrom ? floor : 1;
  }

  /** The point of a λ (a seed): log λ, which {@link #factors} maps back onto λ. */
  static double[] point(double[] lambda) {
    double[] x = new double[lambda.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.log(lambda[i]);
    }
    return x;
  }

  /**
   * The non-decreasing vector nearest to {@code y} (least squares): adjacent values that decrease
   * are pooled into their mean until none does.
   */
  static double[] nonDecreasing(double[] y) {
    int n = y.length;
    double[] mean = new double[n];
    int[] size = new int[n];
    int blocks = 0;
    for (double v : y) {
      mean[blocks] = v;
      size[blocks] = 1;
      while (blocks > 0 && mean[blocks - 1] > mean[blocks]) {
        int merged = size[blocks - 1] + size[blocks];
        mean[blocks - 1] =
            (mean[blocks - 1] * size[blocks - 1] + mean[blocks] * size[blocks]) / merged;
        size[blocks - 1] = merged;
        blocks--;
      }
      blocks++;
    }
    double[] out = new double[n];
    int k = 0;
    for (int b = 0; b < blocks; b++) {
      for (int t = 0; t < size[b]; t++) {
        out[k++] = mean[b];
      }
    }
    return out;
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
    final int floorFrom;
    Candidate best;
    double bestFitness = Double.POSITIVE_INFINITY;

    Run(Evaluator evaluator, RunRecord record, SearchListener listener) {
      this.scale = problem.target().scale();
      this.space = SearchSpace.of(config, problem.pairs(), problem.searchScale());
      this.populationSize = config.cmaes().populationFor(problem.pairs());
      this.floorFrom = problem.critical() == null ? problem.pairs() : problem.critical().start();
      long expected = problem.seeds().size() + (long) generations * populationSize;
      this.ledger = new SearchLedger(evaluator, record, listener, generations, expected);
    }

    SearchResult run() {
      SearchListener listener = ledger.listener();
      ledger.generation(0);
      Evaluator.checkCancelled();
      List<Candidate> seeds = new ArrayList<>();
      for (InitialFactors.Seed s : problem.seeds()) {
        double[] lambda =
            floorFrom < problem.pairs()
                ? factors(point(s.factors()), space, floorFrom)
                : s.factors(); // unprojected, as before the floor existed: same runs bit for bit
        seeds.add(new Candidate(lambda, problem.startTokens(), scale));
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
      CmaEvolutionStrategy es =
          new CmaEvolutionStrategy(
              point(seeds.get(bestSeed).factors()),
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
          batch.add(new Candidate(factors(x, space, floorFrom), problem.startTokens(), scale));
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
