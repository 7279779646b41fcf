package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Racing: a rejection is never wrong under the stated bound (property test on synthetic loss
 * streams), it never changes the search's path when the bound holds, rejected candidates are
 * recorded as such, and a raced run resumes exactly.
 */
class RacingTest {
  static final int PAIRS = 12;
  static final double S = 6;
  static final double[] WEIGHTS = {2.2, 0.6, 0.6, 0.6};
  @TempDir Path work;

  /** A fitness replaying fixed stage losses. */
  record Stream(double[] losses) implements StagedFitness {
    @Override
    public int stages() {
      return losses.length;
    }

    @Override
    public Stage stage(Candidate c, int index) {
      return new Stage(losses[index], 10);
    }
  }

  static double fitness(double[] losses) {
    return StagedFitness.combine(losses, losses.length);
  }

  @Test
  void neverRejectsACandidateThatWouldHaveEnteredTheParentsUnderTheBound() {
    SplittableRandom r = new SplittableRandom(5);
    Candidate c = new Candidate(new double[] {1, 2}, 0, 2);
    int rejections = 0;
    int trials = 20000;
    for (int t = 0; t < trials; t++) {
      int n = 1 + r.nextInt(8);
      int parents = 1 + r.nextInt(6);
      List<double[]> parentLosses = new ArrayList<>();
      double threshold = 0;
      for (int p = 0; p < parents; p++) {
        double[] l = new double[n];
        for (int j = 0; j < n; j++) {
          l[j] = 4 + r.nextDouble(-1, 1);
        }
        parentLosses.add(l);
        threshold = Math.max(threshold, fitness(l)); // the worst parent
      }
      Double slack =
          switch (r.nextInt(4)) {
            case 0 -> null;
            case 1 -> 0.0;
            case 2 -> 0.05;
            default -> 0.5;
          };
      Racing.Race race = new Racing(true, slack).race(threshold, parentLosses);
      // a candidate stream that honours the bound: every stage at or above its floor
      double[] l = new double[n];
      for (int j = 0; j < n; j++) {
        double floor = race.floors() == null ? 0 : race.floors()[j];
        l[j] = r.nextInt(5) == 0 ? floor : floor + r.nextDouble(0, 3);
      }
      Evaluation e = Racing.run(new Stream(l), c, race);
      double full = fitness(l);
      if (e.rejected()) {
        rejections++;
        assertTrue(
            full >= threshold,
            "rejected a candidate of fitness " + full + " below the threshold " + threshold);
        assertTrue(e.bound() <= full * (1 + 1e-12), "the bound is a lower bound");
        assertTrue(e.bound() >= threshold, "rejected at the threshold");
        assertTrue(e.losses().length < n && e.tokens() == 10L * e.losses().length);
        assertEquals(fitness(Arrays.copyOf(l, e.losses().length)), e.fitness(), "partial");
      } else {
        assertEquals(full, e.fitness(), "a full evaluation is the plain fitness");
        assertEquals(10L * n, e.tokens());
      }
    }
    assertTrue(rejections > trials / 20, "racing fires: " + rejections + " of " + trials);
  }

  @Test
  void theCertainFloorIsZeroAndSlackLowersTheParentsEnvelope() {
    List<double[]> parents = List.of(new double[] {3, 5}, new double[] {4, 2});
    assertEquals(null, new Racing(true, null).race(9, parents).floors());
    assertTrue(
        Arrays.equals(new double[] {2.5, 1.5}, new Racing(true, 0.5).race(9, parents).floors()));
    assertFalse(new Racing(false, 0.5).race(9, parents).active());
    assertFalse(new Racing(true, 0.5).race(Double.POSITIVE_INFINITY, parents).active());
  }

  static SearchConfig config(String racing, String more) {
    return Synthetic.small(
        "\"iterations\": 10, \"parents\": 6"
            + (racing.isEmpty() ? "" : ", \"racing\": " + racing)
            + (more.isEmpty() ? "" : ", " + more));
  }

  record Run(SearchResult result, List<HistoryEntry> history, int stages) {}

  static Run run(Path dir, SearchConfig c, boolean resume) {
    Synthetic.Staged f = new Synthetic.Staged(Synthetic.target(PAIRS, S), WEIGHTS, 4, 100);
    try (Evaluator ev = Evaluator.sequential(f);
        RunRecord rec = RunRecord.open(dir, ResumeTest.resolved(c), resume)) {
      SearchResult r = new EvolutionSearch(c, Synthetic.problem(c, PAIRS, S)).run(ev, rec, null);
      return new Run(r, RunRecord.readHistory(dir.resolve(RunRecord.HISTORY)), f.stagesRun.get());
    }
  }

  @Test
  void aReplayOfTheRunWithoutRacingPredictsWhatTheRacedRunRejectedAndSaved() {
    Run off = run(work.resolve("replay-off"), config("", ""), false);
    Run on = run(work.resolve("replay-on"), config("{\"enabled\": true}", ""), false);
    RacingReplay.Row r = RacingReplay.replay(off.history(), 6, new Racing(true, null));
    assertEquals(0, r.wronglyRejected(), "the certain floor is never wrong");
    assertEquals(on.result().cost().rejected(), r.rejected());
    assertTrue(r.rejected() > 0);
    assertEquals(off.result().cost().forwardTokens(), r.forwardTokens());
    assertEquals(
        off.result().cost().forwardTokens() - on.result().cost().forwardTokens(), r.tokensSaved());
    // a slack rejects at least as much; a raced history has no full fitness to replay against
    assertTrue(
        RacingReplay.replay(off.history(), 6, new Racing(true, 0.5)).rejected() >= r.rejected());
    assertThrows(
        IllegalArgumentException.class,
        () -> RacingReplay.replay(on.history(), 6, new Racing(true, null)));
  }

  @Test
  void withTheCertainFloorTheSearchFollowsTheSamePathForFewerTokens() throws IOException {
    for (String more :
        List.of("", "\"start_tokens\": {\"search\": true, \"candidates\": [0, 4]}")) {
      Run off = run(work.resolve("off" + more.length()), config("", more), false);
      Run on = run(work.resolve("on" + more.length()), config("{\"enabled\": true}", more), false);
      assertEquals(off.result().best(), on.result().best());
      assertEquals(off.result().bestPerIteration(), on.result().bestPerIteration());
      assertEquals(off.history().size(), on.history().size(), "the same candidates");
      long rejected = on.history().stream().filter(HistoryEntry::rejected).count();
      assertTrue(rejected > 0, "some children are rejected");
      assertEquals(rejected, on.result().cost().rejected());
      assertTrue(on.stages() < off.stages());
      assertTrue(on.result().cost().forwardTokens() < off.result().cost().forwardTokens());
      assertEquals(100L * off.stages(), off.result().cost().forwardTokens());
      assertEquals(100L * on.stages(), on.result().cost().forwardTokens());
      for (int i = 0; i < on.history().size(); i++) {
        HistoryEntry a = off.history().get(i);
        HistoryEntry b = on.history().get(i);
        assertEquals(a.candidate(), b.candidate());
        if (b.rejected()) {
          assertTrue(b.generation() >= 1, "only iteration children are raced");
          assertTrue(b.tokens() < a.tokens() && b.losses().length < WEIGHTS.length);
          assertTrue(b.bound() <= a.fitness() * (1 + 1e-12), "bound below the full fitness");
        } else {
          assertEquals(a.fitness(), b.fitness());
          assertEquals(a.tokens(), b.tokens());
        }
      }
      JsonNode summary =
          Json.readObject(work.resolve("on" + more.length()).resolve("final/summary.json"));
      assertEquals(on.result().cost().forwardTokens(), summary.get("forward_tokens").asLong());
      assertEquals(rejected, summary.get("rejected").asLong());
      assertTrue(summary.get("best_vs_tokens").size() > 1);
    }
  }

  @Test
  void aParallelEvaluatorRacesAsTheSequentialOneDoes() {
    SearchConfig c = config("{\"enabled\": true, \"slack\": 0.02}", "");
    Run sequential = run(work.resolve("seq"), c, false);
    List<Synthetic.Staged> workers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      workers.add(new Synthetic.Staged(Synthetic.target(PAIRS, S), WEIGHTS, 4, 100));
    }
    Path dir = work.resolve("par");
    try (Evaluator ev = Evaluator.parallel(workers);
        RunRecord rec = RunRecord.open(dir, ResumeTest.resolved(c), false)) {
      SearchResult r = new EvolutionSearch(c, Synthetic.problem(c, PAIRS, S)).run(ev, rec, null);
      ResumeTest.assertSameResult(sequential.result(), r);
      assertEquals(sequential.result().cost().forwardTokens(), r.cost().forwardTokens());
    }
    assertEquals(
        strip(sequential.history()), strip(RunRecord.readHistory(dir.resolve(RunRecord.HISTORY))));
  }

  @Test
  void aRacedRunResumesExactlyAfterAKillAtAnyByte() throws IOException {
    SearchConfig c = config("{\"enabled\": true, \"slack\": 0.02}", "");
    Path full = work.resolve("full");
    Run reference = run(full, c, false);
    assertTrue(reference.history().stream().anyMatch(HistoryEntry::rejected));
    int bytes = (int) Files.size(full.resolve(RunRecord.HISTORY));
    Random random = new Random(3);
    for (int k = 0; k < 6; k++) {
      int cut = random.nextInt(bytes);
      Run resumed = run(ResumeTest.cutAt(full, work, cut), c, true);
      ResumeTest.assertSameResult(reference.result(), resumed.result());
      assertEquals(strip(reference.history()), strip(resumed.history()), "cut at byte " + cut);
      assertEquals(
          reference.result().cost().forwardTokens(), resumed.result().cost().forwardTokens());
    }
  }

  @Test
  void aHistoryWithoutTokensStillResumes() throws IOException {
    SearchConfig c = config("", "");
    Path dir = work.resolve("old");
    Run reference = run(dir, c, false);
    // the lines as written before accounting: no tokens, no losses
    List<String> old = new ArrayList<>();
    for (HistoryEntry e : reference.history()) {
      old.add(RunRecord.format(new HistoryEntry(e.generation(), e.candidate(), e.fitness(), 0)));
    }
    assertFalse(old.get(0).contains("\"tokens\""));
    Files.write(dir.resolve(RunRecord.HISTORY), old);
    Run resumed = run(dir, c, true);
    assertEquals(0, resumed.stages(), "nothing evaluated again");
    ResumeTest.assertSameResult(reference.result(), resumed.result());
    assertFalse(resumed.result().cost().tokensKnown());
    JsonNode summary = Json.readObject(dir.resolve("final/summary.json"));
    assertFalse(summary.get("forward_tokens_complete").asBoolean());
  }

  static List<String> strip(List<HistoryEntry> h) {
    List<String> out = new ArrayList<>();
    for (HistoryEntry e : h) {
      out.add(
          RunRecord.format(
              new HistoryEntry(
                  e.generation(),
                  e.candidate(),
                  e.fitness(),
                  0,
                  e.tokens(),
                  e.rejected(),
                  e.bound(),
                  e.losses())));
    }
    out.sort(null);
    return out;
  }
}
