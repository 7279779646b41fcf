package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.io.FormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Algorithm {@code cmaes}: the strategy itself converges on textbook functions; over the factor
 * space every candidate is monotone and in bounds; the same seed gives the same run; a killed run
 * resumes exactly; racing with the certain floor keeps its path.
 */
class CmaesSearchTest {
  static final int PAIRS = 12;
  static final double S = 6;
  @TempDir Path work;

  @Test
  void theStrategyMinimisesAnIllConditionedEllipsoid() {
    int n = 8;
    double[] start = new double[n];
    Arrays.fill(start, 3);
    CmaEvolutionStrategy es = new CmaEvolutionStrategy(start, 1, 10, new SplittableRandom(1));
    double best = Double.POSITIVE_INFINITY;
    for (int g = 0; g < 400; g++) {
      double[][] xs = es.ask();
      double[] v = new double[xs.length];
      for (int k = 0; k < xs.length; k++) {
        for (int i = 0; i < n; i++) {
          v[k] += Math.pow(1e3, (double) i / (n - 1)) * xs[k][i] * xs[k][i];
        }
        best = Math.min(best, v[k]);
      }
      es.tell(xs, v);
    }
    assertTrue(best < 1e-8, "ellipsoid (condition 1e6) minimised to " + best);
  }

  @Test
  void everyPointMapsToAMonotoneGridCandidateInBounds() {
    SearchSpace space = new SearchSpace(PAIRS, S, 1 + S, 0.01, 0.3);
    SplittableRandom r = new SplittableRandom(2);
    for (int t = 0; t < 5000; t++) {
      double[] x = new double[PAIRS];
      for (int i = 0; i < PAIRS; i++) {
        x[i] = r.nextGaussian() * (t % 3 == 0 ? 5 : 0.3);
      }
      double[] lambda = CmaesSearch.factors(x, space);
      assertTrue(new Candidate(lambda, 0, S).isMonotone(), Arrays.toString(lambda));
      for (double v : lambda) {
        assertTrue(v >= 1 && v <= 1 + S, "in [1, 1+s]: " + v);
        assertEquals(Math.round((v - 1) / 0.01), (v - 1) / 0.01, 1e-6, "on the grid: " + v);
      }
    }
    double[] yarnLike = {1, 1, 1.2, 1.5, 2, 2.6, 3.3, 4, 5, 6, 7, 7};
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        yarnLike,
        CmaesSearch.factors(CmaesSearch.point(yarnLike), space),
        1e-12,
        "a seed on the grid maps back onto itself");
  }

  @Test
  void withAFloorEveryPointHoldsSFromItsPairOn() {
    SearchSpace space = new SearchSpace(PAIRS, S, 1 + S, 0.01, 0.3);
    int from = 5;
    SplittableRandom r = new SplittableRandom(3);
    for (int t = 0; t < 5000; t++) {
      double[] x = new double[PAIRS];
      for (int i = 0; i < PAIRS; i++) {
        x[i] = r.nextGaussian() * (t % 3 == 0 ? 5 : 0.3);
      }
      double[] lambda = CmaesSearch.factors(x, space, from);
      assertTrue(new Candidate(lambda, 0, S).isMonotone(), Arrays.toString(lambda));
      for (int i = 0; i < PAIRS; i++) {
        assertTrue(lambda[i] >= (i >= from ? S : 1) && lambda[i] <= 1 + S, Arrays.toString(lambda));
        assertEquals(Math.round((lambda[i] - 1) / 0.01), (lambda[i] - 1) / 0.01, 1e-6);
      }
    }
    double[] held = {1, 1, 1.2, 1.5, 2, 6, 6, 6, 6.5, 6.5, 7, 7};
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        held, CmaesSearch.factors(CmaesSearch.point(held), space, from), 1e-12, "already held");
    double[] ntkLike = {1, 1.1, 1.3, 1.7, 2.2, 2.9, 3.6, 4.4, 5.1, 5.6, 5.9, 6};
    double[] lifted = CmaesSearch.factors(CmaesSearch.point(ntkLike), space, from);
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        new double[] {1, 1.1, 1.3, 1.7, 2.2, 6, 6, 6, 6, 6, 6, 6},
        lifted,
        1e-12,
        "below the floor: lifted to s, the rest kept");
  }

  @Test
  void aRunWithACriticalFloorEvaluatesNoCandidateBelowIt() {
    SearchConfig c = config("\"critical_dim\": {\"start\": 4}");
    Synthetic.Staged f =
        new Synthetic.Staged(Synthetic.target(PAIRS, S), RacingTest.WEIGHTS, 0, 100);
    SearchProblem p =
        Synthetic.problem(c, PAIRS, S).withCritical(new CriticalRange(4, 4, 4, 64, 4, 2));
    Path dir = work.resolve("floor");
    try (Evaluator ev = Evaluator.sequential(f);
        RunRecord rec = RunRecord.open(dir, ResumeTest.resolved(c), false)) {
      new EvolutionSearch(c, p).run(ev, rec, null);
    }
    List<HistoryEntry> history = RunRecord.readHistory(dir.resolve(RunRecord.HISTORY));
    assertTrue(history.size() > 100, "ran: " + history.size());
    for (HistoryEntry e : history) {
      double[] lambda = e.candidate().factors();
      assertTrue(e.candidate().isMonotone(), e.toString());
      for (int i = 4; i < PAIRS; i++) {
        assertTrue(lambda[i] >= S, "pair " + i + " below s: " + e);
      }
    }
    FormatException notHere =
        assertThrows(
            FormatException.class, () -> Synthetic.config("\"critical_dim\": {\"start\": 4}"));
    assertTrue(notHere.getMessage().contains("\"cmaes\""), notHere.getMessage());
  }

  @Test
  void theProjectionIsTheNearestNonDecreasingVector() {
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        new double[] {1, 2.5, 2.5, 4, 4, 4},
        CmaesSearch.nonDecreasing(new double[] {1, 3, 2, 5, 4, 3}),
        1e-12);
    // against brute force: no non-decreasing vector on a fine grid is nearer
    SplittableRandom r = new SplittableRandom(3);
    for (int t = 0; t < 200; t++) {
      double[] y = {r.nextDouble(3), r.nextDouble(3), r.nextDouble(3)};
      double[] p = CmaesSearch.nonDecreasing(y);
      double best = Double.POSITIVE_INFINITY;
      for (int a = 0; a <= 60; a++) {
        for (int b = a; b <= 60; b++) {
          for (int c = b; c <= 60; c++) {
            double d = sq(y[0] - a / 20.0) + sq(y[1] - b / 20.0) + sq(y[2] - c / 20.0);
            best = Math.min(best, d);
          }
        }
      }
      double dp = sq(y[0] - p[0]) + sq(y[1] - p[1]) + sq(y[2] - p[2]);
      assertTrue(p[0] <= p[1] && p[1] <= p[2] && dp <= best + 1e-12, Arrays.toString(y));
    }
  }

  private static double sq(double v) {
    return v * v;
  }

  static SearchConfig config(String more) {
    return Synthetic.config(
        "\"algorithm\": \"cmaes\", \"iterations\": 25, \"init\": [\"pi\", \"ntk\", \"yarn\"],"
            + " \"cmaes\": {\"population\": 10, \"sigma\": 0.05}"
            + (more.isEmpty() ? "" : ", " + more));
  }

  record Run(SearchResult result, List<HistoryEntry> history, int stages) {}

  static Run run(Path dir, SearchConfig c, boolean resume) {
    Synthetic.Staged f =
        new Synthetic.Staged(Synthetic.target(PAIRS, S), RacingTest.WEIGHTS, 0, 100);
    try (Evaluator ev = Evaluator.sequential(f);
        RunRecord rec = RunRecord.open(dir, ResumeTest.resolved(c), resume)) {
      SearchResult r = new EvolutionSearch(c, Synthetic.problem(c, PAIRS, S)).run(ev, rec, null);
      return new Run(r, RunRecord.readHistory(dir.resolve(RunRecord.HISTORY)), f.stagesRun.get());
    }
  }

  @Test
  void improvesOnTheSeedsWithEveryCandidateMonotoneAndInBounds() {
    Run a = run(work.resolve("a"), config(""), false);
    double bestSeed =
        a.result().seeds().stream()
            .mapToDouble(SearchResult.SeedFitness::fitness)
            .min()
            .orElseThrow();
    assertTrue(a.result().fitness() < 0.5 * bestSeed, a.result().fitness() + " vs " + bestSeed);
    for (HistoryEntry e : a.history()) {
      assertTrue(e.candidate().isMonotone(), e.toString());
      for (double v : e.candidate().factors()) {
        assertTrue(v >= 1 && v <= 1 + S, e.toString());
      }
    }
    assertEquals(26, a.result().bestPerIteration().size());
    for (int i = 1; i < a.result().bestPerIteration().size(); i++) {
      assertTrue(a.result().bestPerIteration().get(i) <= a.result().bestPerIteration().get(i - 1));
    }
  }

  @Test
  void sameSeedSameRunOtherSeedOtherRun() {
    Run a = run(work.resolve("a"), config(""), false);
    Run b = run(work.resolve("b"), config(""), false);
    assertEquals(a.result().best(), b.result().best());
    assertEquals(RacingTest.strip(a.history()), RacingTest.strip(b.history()));
    Run c = run(work.resolve("c"), config("").withSeed(7), false);
    assertNotEquals(a.result().best(), c.result().best());
  }

  @Test
  void aKilledRunResumesExactly() throws IOException {
    SearchConfig c = config("\"racing\": {\"enabled\": true, \"slack\": 0.05}");
    Path full = work.resolve("full");
    Run reference = run(full, c, false);
    int bytes = (int) Files.size(full.resolve(RunRecord.HISTORY));
    SplittableRandom r = new SplittableRandom(4);
    for (int k = 0; k < 4; k++) {
      Run resumed = run(ResumeTest.cutAt(full, work, r.nextInt(bytes)), c, true);
      ResumeTest.assertSameResult(reference.result(), resumed.result());
      assertEquals(RacingTest.strip(reference.history()), RacingTest.strip(resumed.history()));
    }
  }

  @Test
  void racingWithTheCertainFloorKeepsThePathForFewerTokens() {
    Run off = run(work.resolve("off"), config(""), false);
    Run on = run(work.resolve("on"), config("\"racing\": {\"enabled\": true}"), false);
    assertEquals(off.result().best(), on.result().best());
    assertEquals(off.result().bestPerIteration(), on.result().bestPerIteration());
    assertTrue(on.result().cost().rejected() > 0);
    assertTrue(on.result().cost().forwardTokens() < off.result().cost().forwardTokens());
  }

  @Test
  void unsupportedSettingsNameTheirKey() {
    SearchConfig c = config("\"start_tokens\": {\"search\": true}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> run(work.resolve("x"), c, false));
    assertTrue(e.getMessage().contains("start_tokens.search"), e.getMessage());
    Exception wrong =
        assertThrows(
            RuntimeException.class,
            () -> Synthetic.config("\"algorithm\": \"dim_mono\", \"cmaes\": {\"sigma\": 0.1}"));
    assertTrue(wrong.getMessage().contains("'cmaes'"), wrong.getMessage());
  }
}
