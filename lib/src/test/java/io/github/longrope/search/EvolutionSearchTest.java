package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.rope.RopeGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** The search loop on synthetic fitness: improvement, constraints, determinism, de-duplication. */
class EvolutionSearchTest {
  static final int PAIRS = 16;
  static final double S = 8;

  static SearchResult run(SearchConfig c, Fitness f) {
    try (Evaluator ev = Evaluator.sequential(f)) {
      return new EvolutionSearch(c, Synthetic.problem(c, PAIRS, S)).run(ev, null, null);
    }
  }

  /** The fitness of the run's best seed (generation 0). */
  static double bestSeed(SearchResult r) {
    return r.seeds().stream().mapToDouble(SearchResult.SeedFitness::fitness).min().orElseThrow();
  }

  static Synthetic.Counting fitness(int preferred) {
    return new Synthetic.Counting(Synthetic.target(PAIRS, S), 1 + S, preferred, 0);
  }

  @Test
  void improvesOnTheSeedsAndRespectsMonotonicityAndBounds() {
    SearchConfig c = Synthetic.small("\"iterations\": 20");
    Synthetic.Counting f = fitness(0);
    SearchResult r = run(c, f);
    double bestSeed = bestSeed(r);
    assertEquals(3, r.seeds().size());
    assertTrue(r.fitness() < bestSeed * 0.5, "search " + r.fitness() + " vs best seed " + bestSeed);
    for (int i = 1; i < r.bestPerIteration().size(); i++) {
      assertTrue(
          r.bestPerIteration().get(i) <= r.bestPerIteration().get(i - 1),
          "elitist: best never gets worse " + r.bestPerIteration());
    }
    assertEquals(c.effectiveIterations() + 1, r.bestPerIteration().size());
    for (Candidate x : f.seen) {
      assertTrue(x.isMonotone(), "every evaluated candidate is non-decreasing: " + x);
      for (double v : x.factors()) {
        assertTrue(v >= 1 - 1e-12 && v <= 1 + S + 1e-9, "within [1, 1+s]: " + x);
      }
    }
    assertTrue(r.best().isMonotone());
  }

  @Test
  void sameSeedSameResultOtherSeedOtherPath() {
    SearchConfig c = Synthetic.small("");
    SearchResult a = run(c, fitness(0));
    SearchResult b = run(c, fitness(0));
    assertEquals(a.best(), b.best());
    assertEquals(a.bestPerIteration(), b.bestPerIteration());
    assertEquals(a.evaluations(), b.evaluations());
    SearchResult other = run(c.withSeed(7), fitness(0));
    assertNotEquals(a.best(), other.best());
  }

  @Test
  void everyCandidateIsEvaluatedExactlyOnce() {
    SearchConfig c = Synthetic.small("\"start_tokens\": {\"search\": true}");
    Synthetic.Counting f = fitness(8);
    SearchResult r = run(c, f);
    assertEquals(f.calls.get(), r.evaluatedNow());
    assertEquals(r.evaluations(), r.evaluatedNow(), "fresh run: every distinct candidate once");
    for (int i = 0; i < f.seen.size(); i++) {
      for (int j = 0; j < i; j++) {
        assertTrue(
            !f.seen.get(i).closeTo(f.seen.get(j)), "evaluated twice (allclose): " + f.seen.get(i));
      }
    }
  }

  @Test
  void startTokenSearchFindsThePreferredStartTokens() {
    SearchResult on = run(Synthetic.small("\"start_tokens\": {\"search\": true}"), fitness(8));
    assertEquals(8, on.best().startTokens());
    SearchResult off = run(Synthetic.small(""), fitness(8));
    assertEquals(
        0, off.best().startTokens(), "without the n̂ search n̂ stays at its initial value");
    SearchResult initial = run(Synthetic.small("\"start_tokens\": {\"initial\": 4}"), fitness(8));
    assertEquals(4, initial.best().startTokens());
  }

  @Test
  void dimPieceMonoImprovesAndStaysMonotone() {
    SearchConfig c = Synthetic.small("\"algorithm\": \"dim_piece_mono\", \"iterations\": 15");
    Synthetic.Counting f = fitness(0);
    SearchResult r = run(c, f);
    double bestSeed = bestSeed(r);
    assertTrue(r.fitness() < bestSeed, r.fitness() + " vs " + bestSeed);
    f.seen.forEach(x -> assertTrue(x.isMonotone(), x.toString()));
  }

  @Test
  void anExhaustedSpaceEndsInsteadOfLoopingForever() {
    // grid {1, 1.5, 2} over 2 dims: 6 monotone candidates in all; upstream retries forever
    SearchConfig c =
        Synthetic.config(
            "\"population\": 20, \"iterations\": 3, \"mutations\": 4, \"crossovers\": 4,"
                + " \"parents\": 4, \"step\": 0.5, \"max_mutation_tries\": 200, \"init\": [\"ones\"]");
    RopeGeometry g = new RopeGeometry(4, 10000);
    SearchProblem p =
        new SearchProblem(
            RopeTarget.longFactors(64, 1, new MagnitudeScaling.Su()),
            1,
            InitialFactors.resolve(c, g, 1, 64, 32, 1, null).seeds(),
            0);
    Synthetic.Counting f = new Synthetic.Counting(new double[] {1.5, 2}, 2, 0, 0);
    SearchResult r;
    try (Evaluator ev = Evaluator.sequential(f)) {
      r = new EvolutionSearch(c, p).run(ev, null, null);
    }
    assertTrue(r.evaluations() <= 6, "at most the 6 candidates exist: " + r.evaluations());
    assertTrue(r.skipped() > 0);
    assertEquals(1.5, r.best().factor(0));
    assertEquals(2.0, r.best().factor(1));
  }

  @Test
  void autoRescaleKeepsTheFactorsItTried() {
    // T9: λ = [1, 1.5, 3, 4] searched for s = 32, rescaled to t = 16
    SearchConfig c =
        Synthetic.config(
            "\"population\": 4, \"iterations\": 1, \"mutations\": 2, \"crossovers\": 0,"
                + " \"parents\": 2, \"auto_rescale\": true, \"init\": [\"file\"],"
                + " \"init_file\": \"x.csv\"");
    RopeGeometry g = new RopeGeometry(8, 10000);
    InitialFactors.Seeds seeds =
        InitialFactors.resolve(
            c, g, 32, 4096, 32, 1, io.github.longrope.rope.FactorTable.of(1, 1.5, 3, 4));
    SearchProblem p =
        new SearchProblem(
            RopeTarget.longFactors(4096, 32, new MagnitudeScaling.Su()), 32, seeds.seeds(), 0);
    List<HistoryEntry> log = new ArrayList<>();
    Fitness f = x -> Math.abs(Math.log(x.scale() / 16)) + x.factor(3) / 100;
    SearchResult r;
    try (Evaluator ev = Evaluator.sequential(f)) {
      r =
          new EvolutionSearch(c, p)
              .run(
                  ev,
                  null,
                  new SearchListener() {
                    @Override
                    public void candidateEvaluated(
                        Candidate cand, double fitness, SearchProgress progress) {
                      log.add(new HistoryEntry(progress.generation(), cand, fitness, 0));
                    }
                  });
    }
    assertEquals(List.of(32.0, 16.0, 8.0, 4.0, 2.0, 1.0), scales(r));
    assertEquals(16.0, r.scale());
    assertEquals(16.0, r.best().scale());
    HistoryEntry at16 =
        log.stream()
            .filter(e -> e.generation() == -1 && e.candidate().scale() == 16)
            .findFirst()
            .orElseThrow();
    double[] t9 = {1, 1.241935484, 1.967741935, 2.451612903};
    for (int i = 0; i < 4; i++) {
      assertEquals(t9[i], at16.candidate().factor(i), 1e-9, "the tried factors, not the originals");
    }
    HistoryEntry at1 =
        log.stream()
            .filter(e -> e.generation() == -1 && e.candidate().scale() == 1)
            .findFirst()
            .orElseThrow();
    for (int i = 0; i < 4; i++) {
      assertEquals(1.0, at1.candidate().factor(i), 1e-12);
    }
    // the initial individual of generation 0 is the rescaled seed, already evaluated: not again
    assertTrue(
        log.stream()
            .noneMatch(e -> e.generation() == 0 && e.candidate().closeTo(at16.candidate())));
    assertEquals("file", r.seeds().get(0).name());
    assertEquals(f.evaluate(at16.candidate()), r.seeds().get(0).fitness());
  }

  static List<Double> scales(SearchResult r) {
    List<Double> out = new ArrayList<>();
    r.rescaleTrials().forEach(t -> out.add(t.scale()));
    return out;
  }

  @Test
  void autoRescaleIsRefusedWhereItHasNoMeaning() {
    SearchConfig c = Synthetic.small("\"auto_rescale\": true");
    RopeGeometry g = new RopeGeometry(2 * PAIRS, 10000);
    SearchProblem shortStage =
        new SearchProblem(
            RopeTarget.shortFactors(
                io.github.longrope.rope.FactorTable.ones(PAIRS),
                64,
                S,
                new MagnitudeScaling.Su(),
                null),
            1,
            InitialFactors.resolve(c, g, 1, 64, 32, 1, null).seeds(),
            0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new EvolutionSearch(c, shortStage));
    assertTrue(e.getMessage().contains("auto-rescale"), e.getMessage());
  }

  @Test
  void interruptStopsAtACandidateBoundary() {
    SearchConfig c = Synthetic.small("");
    Synthetic.Counting inner = fitness(0);
    Fitness f =
        x -> {
          if (inner.calls.get() == 20) {
            Thread.currentThread().interrupt();
          }
          return inner.evaluate(x);
        };
    assertThrows(CancellationException.class, () -> run(c, f));
    assertEquals(21, inner.calls.get(), "the candidate running when interrupted completes");
    assertTrue(!Thread.currentThread().isInterrupted(), "the flag is cleared");
  }
}
