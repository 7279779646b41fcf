package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed at any instant (here: its history truncated at random byte offsets, or the thread
 * interrupted mid-generation) resumes to exactly the result of an uninterrupted run with the same
 * seed, re-evaluating only what the history lacks.
 */
class ResumeTest {
  static final int PAIRS = 12;
  static final double S = 6;
  @TempDir Path work;

  static SearchConfig config() {
    return Synthetic.small(
        "\"iterations\": 6, \"algorithm\": \"dim_mono\", \"start_tokens\": {\"search\": true,"
            + " \"candidates\": [0, 2, 4, 8], \"parents\": 2, \"mutation_samples\": 2}");
  }

  static ObjectNode resolved(SearchConfig c) {
    ObjectNode o = io.github.longrope.io.Json.MAPPER.createObjectNode();
    o.set("search", c.toJson());
    o.put("target", "synthetic");
    return o;
  }

  record Outcome(SearchResult result, int calls, List<String> history) {}

  static Outcome run(Path dir, boolean resume, Fitness wrap, Synthetic.Counting f) {
    SearchConfig c = config();
    try (Evaluator ev = Evaluator.sequential(wrap == null ? f : wrap);
        RunRecord rec = RunRecord.open(dir, resolved(c), resume)) {
      SearchResult r = new EvolutionSearch(c, Synthetic.problem(c, PAIRS, S)).run(ev, rec, null);
      return new Outcome(r, f.calls.get(), lines(dir));
    }
  }

  static Synthetic.Counting fitness() {
    return new Synthetic.Counting(Synthetic.target(PAIRS, S), 1 + S, 4, 0);
  }

  /** History lines without the timing, sorted. */
  static List<String> lines(Path dir) {
    return RunRecord.readHistory(dir.resolve(RunRecord.HISTORY)).stream()
        .map(e -> RunRecord.format(new HistoryEntry(e.generation(), e.candidate(), e.fitness(), 0)))
        .sorted()
        .collect(Collectors.toList());
  }

  static void assertSameResult(SearchResult expected, SearchResult got) {
    assertEquals(expected.best(), got.best());
    assertEquals(expected.fitness(), got.fitness());
    assertEquals(expected.factors(), got.factors());
    assertEquals(expected.bestPerIteration(), got.bestPerIteration());
    assertEquals(expected.seeds(), got.seeds());
    assertEquals(expected.evaluations(), got.evaluations());
  }

  /**
   * {@code work/cut<cut>}: the finished run {@code full}'s record with its history cut at byte
   * {@code cut}, as a kill -9 leaves it.
   */
  static Path cutAt(Path full, Path work, int cut) throws IOException {
    byte[] history = Files.readAllBytes(full.resolve(RunRecord.HISTORY));
    Path dir = Files.createDirectories(work.resolve("cut" + cut));
    Files.copy(
        full.resolve(RunRecord.CONFIG),
        dir.resolve(RunRecord.CONFIG),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.write(dir.resolve(RunRecord.HISTORY), java.util.Arrays.copyOf(history, cut));
    return dir;
  }

  @Test
  void truncatedHistoryResumesToTheUninterruptedResult() throws IOException {
    Path full = work.resolve("full");
    Outcome reference = run(full, false, null, fitness());
    int bytes = (int) Files.size(full.resolve(RunRecord.HISTORY));
    Random random = new Random(1);
    List<Integer> cuts = new ArrayList<>(List.of(0, 1, bytes - 1, bytes));
    for (int i = 0; i < 8; i++) {
      cuts.add(random.nextInt(bytes));
    }
    for (int cut : cuts) {
      Path dir = cutAt(full, work, cut);
      int kept = RunRecord.readHistory(dir.resolve(RunRecord.HISTORY)).size();
      Outcome resumed = run(dir, true, null, fitness());
      assertSameResult(reference.result(), resumed.result());
      assertEquals(reference.history(), resumed.history(), "cut at byte " + cut);
      assertEquals(reference.calls() - kept, resumed.calls(), "only missing candidates evaluated");
      assertEquals(kept, resumed.result().cacheHits() - cachedInFullRun(reference));
      assertTrue(
          Files.readString(dir.resolve(RunRecord.HISTORY)).endsWith("\n"),
          "the torn line was dropped before appending");
    }
  }

  /** Cache hits of an uninterrupted run (n̂ sweeps revisit earlier candidates). */
  static long cachedInFullRun(Outcome o) {
    return o.result().cacheHits();
  }

  @Test
  void interruptedRunResumesToTheUninterruptedResult() {
    Outcome reference = run(work.resolve("full"), false, null, fitness());
    for (int stopAt : new int[] {1, 17, 40, reference.calls() - 1}) {
      Path dir = work.resolve("stop" + stopAt);
      Synthetic.Counting f = fitness();
      Fitness interrupting =
          x -> {
            double v = f.evaluate(x);
            if (f.calls.get() == stopAt) {
              Thread.currentThread().interrupt();
            }
            return v;
          };
      assertThrows(CancellationException.class, () -> run(dir, false, interrupting, f));
      assertEquals(stopAt, RunRecord.readHistory(dir.resolve(RunRecord.HISTORY)).size());
      Synthetic.Counting again = fitness();
      Outcome resumed = run(dir, true, null, again);
      assertSameResult(reference.result(), resumed.result());
      assertEquals(reference.calls() - stopAt, again.calls.get());
      assertEquals(reference.history(), resumed.history());
    }
  }

  @Test
  void finishedRunResumesWithoutEvaluating() throws IOException {
    Path dir = work.resolve("done");
    Outcome reference = run(dir, false, null, fitness());
    Synthetic.Counting f = fitness();
    Outcome again = run(dir, true, null, f);
    assertEquals(0, f.calls.get());
    assertSameResult(reference.result(), again.result());
    assertTrue(Files.isRegularFile(dir.resolve("final/result_final.csv")));
    assertTrue(Files.isRegularFile(dir.resolve("iterations/result_it000.csv")));
    assertTrue(Files.isRegularFile(dir.resolve("iterations/result_it005.csv")));
  }
}
