package io.github.longrope.search;

import io.github.longrope.rope.FactorTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The bookkeeping every search algorithm keeps around its {@link Evaluator}, written once for the
 * evolution ({@link EvolutionSearch}) and {@code cmaes} ({@link CmaesSearch}): the fitness cache
 * (each candidate is evaluated once; a resume replays the run record's history into it), the
 * rejections and window losses that {@link Racing} needs, the cost and history lines, the counts
 * and the best value that {@link SearchProgress} reports.
 *
 * <p>The algorithms keep what differs: which candidates to try, in which order, and which result is
 * the best. This class only decides what is already known and records what is learned, so a
 * racing-off run evaluates the same candidates in the same order as before it existed.
 */
final class SearchLedger {
  private final Evaluator evaluator;
  private final RunRecord record;
  private final SearchListener listener;
  private final CandidateSet cache = new CandidateSet();
  private final CandidateSet rejected = new CandidateSet();
  // by cache index: the window losses of fully evaluated candidates (racing's floors)
  private final Map<Integer, double[]> losses = new HashMap<>();
  private final SearchCost.Builder cost = new SearchCost.Builder();
  private final long t0 = System.nanoTime();
  private final int generations;
  private final long expected;
  private int generation;
  private long evaluatedNow;
  private long cacheHits;
  private double fitnessSeconds;
  private double best = Double.POSITIVE_INFINITY;

  /**
   * @param record the run directory (its loaded history becomes the cache), or null
   * @param generations the iterations after generation 0, for progress
   * @param expected the evaluations a full run makes, for progress
   */
  SearchLedger(
      Evaluator evaluator,
      RunRecord record,
      SearchListener listener,
      int generations,
      long expected) {
    this.evaluator = evaluator;
    this.record = record;
    this.listener = listener == null ? SearchListener.NONE : listener;
    this.generations = generations;
    this.expected = expected;
    if (record != null) {
      for (HistoryEntry h : record.loaded()) {
        remember(h.candidate(), h.evaluation());
        cost.add(h);
      }
    }
  }

  SearchListener listener() {
    return listener;
  }

  int generations() {
    return generations;
  }

  /** The generation the next evaluations belong to (history lines and progress carry it). */
  void generation(int g) {
    generation = g;
  }

  /** Caches an evaluation: its rank value, its losses when complete, a rejection. */
  private void remember(Candidate c, Evaluation e) {
    cache.put(c, e.rank());
    if (e.rejected()) {
      rejected.add(c);
    } else if (e.losses().length > 0) {
      losses.put(cache.indexOf(c), e.losses());
    }
  }

  /**
   * Rank values of {@code batch} under its races, in order: candidates not cached yet (each once,
   * in batch order) go to the evaluator; every result is cached, appended to the run record and
   * reported to the listener. A rejected candidate ranks by its bound.
   */
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
            if (!e.rejected()) {
              best = Math.min(best, e.fitness());
            }
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
      out[k] = fitness(c);
      if (!rejected.contains(c)) {
        best = Math.min(best, out[k]);
      }
    }
    return out;
  }

  /** The cached rank value of an evaluated candidate. */
  double fitness(Candidate c) {
    OptionalDouble v = cache.value(c);
    if (v.isEmpty()) {
      throw new IllegalStateException("no fitness for " + c);
    }
    return v.getAsDouble();
  }

  /** Whether {@code c} was rejected by a race (its value is a bound, not a fitness). */
  boolean rejected(Candidate c) {
    return rejected.contains(c);
  }

  /** The window losses of a fully evaluated candidate, or null (racing's floors). */
  double[] losses(Candidate c) {
    return losses.get(cache.indexOf(c));
  }

  /** Distinct candidates with a known value (evaluated now or replayed). */
  int known() {
    return cache.size();
  }

  /**
   * Writes iteration {@code it}'s best candidate, as factors, to the run record if there is one.
   */
  void writeIteration(int it, RopeTarget target, Candidate best) {
    if (record != null) {
      record.writeIteration(it, target.effective(best));
    }
  }

  /**
   * The result with this ledger's counts, times and cost, written to the run record when there is
   * one.
   */
  SearchResult finish(
      Candidate top,
      double topFitness,
      FactorTable effective,
      double scale,
      List<Double> bestPerIteration,
      List<SearchResult.SeedFitness> seeds,
      List<SearchResult.ScaleTrial> trials,
      int distinct,
      long skipped) {
    SearchResult result =
        new SearchResult(
            top,
            topFitness,
            effective,
            scale,
            bestPerIteration,
            seeds,
            trials,
            distinct,
            evaluatedNow,
            cacheHits,
            skipped,
            (System.nanoTime() - t0) / 1e9,
            fitnessSeconds,
            cost.build());
    if (record != null) {
      record.writeFinal(result);
    }
    return result;
  }

  SearchProgress progress() {
    double seconds = (System.nanoTime() - t0) / 1e9;
    double rate = seconds > 0 ? evaluatedNow / seconds : 0;
    long done = evaluatedNow + cacheHits;
    long left = Math.max(0, expected - done);
    double eta = rate > 0 ? left / rate : Double.NaN;
    return new SearchProgress(
        generation, generations, evaluatedNow, cacheHits, expected, best, rate, eta);
  }
}
