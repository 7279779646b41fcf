package io.github.longrope.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.longrope.model.EngineThreads;
import io.github.longrope.search.HistoryEntry;
import io.github.longrope.search.RunRecord;
import io.github.longrope.search.SearchConfig;
import io.github.longrope.search.SearchListener;
import io.github.longrope.search.SearchResult;
import io.github.longrope.search.run.SearchEngine;
import io.github.longrope.search.run.SearchJob;
import io.github.longrope.search.run.SearchSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A small real search for the engine tests: the bundled model (models/bundled, 256-token context)
 * searched at 384 tokens (s = 1.5) on one document of random token ids, a population of 4 and two
 * iterations of 1 + 1 children (8 candidates at most). The local evaluator's run of it is made once
 * per test JVM ({@link #reference}) and shared by the engine tests.
 */
final class TinySearch {
  private TinySearch() {}

  static {
    // one libtorch thread in every JVM of the tests: the same arithmetic as the executors'
    EngineThreads.set(1);
  }

  static Path home() {
    return Path.of(System.getProperty("longrope.home", "..")).toAbsolutePath().normalize();
  }

  static Path model() {
    return home().resolve("models/bundled");
  }

  /** The local evaluator's run of {@link #spec(Path)}, made once per JVM. */
  record Reference(Path run, SearchJob.Outcome outcome) {}

  private static Reference reference;

  static synchronized Reference reference() throws IOException {
    if (reference == null) {
      Path dir = Files.createTempDirectory("longrope-spark-reference");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      Path run = dir.resolve("local");
      reference = new Reference(run, run(spec(dir), run, false, SearchEngine.LOCAL));
    }
    return reference;
  }

  static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder: best effort
    }
  }

  /** The tiny search's spec; its data and config written under {@code dir}. */
  static SearchSpec spec(Path dir) throws IOException {
    return spec(dir, 4, 2);
  }

  /** A spec with {@code population} and {@code iterations} of 1 + 1 children. */
  static SearchSpec spec(Path dir, int population, int iterations) throws IOException {
    Files.createDirectories(dir);
    Path data = dir.resolve("docs.json");
    Random r = new Random(20);
    StringBuilder sb = new StringBuilder("[");
    for (int d = 0; d < 1; d++) {
      int[] ids = new int[400];
      ids[0] = 1;
      for (int i = 1; i < ids.length; i++) {
        ids[i] = 3 + r.nextInt(31_000);
      }
      sb.append(d == 0 ? "" : ",").append(Arrays.toString(ids));
    }
    Files.writeString(data, sb.append("]").toString());
    SearchConfig c =
        SearchConfig.parse(
            "{\"version\": 1, \"population\": "
                + population
                + ", \"iterations\": "
                + iterations
                + ", \"mutations\": 1, \"crossovers\": 1, \"parents\": 2,"
                + " \"init\": [\"pi\", \"ntk\", \"yarn\"], \"seed\": 7}",
            "tiny search");
    return SearchSpec.builder(model(), data, 384, c).samples(1).build();
  }

  static SearchJob.Outcome run(SearchSpec spec, Path run, boolean resume, SearchEngine engine) {
    return SearchJob.run(spec, run, resume, false, engine, 1, 512, SearchListener.NONE);
  }

  /**
   * The history with timings dropped, sorted by generation then factors (completion order varies).
   */
  static List<String> history(Path run) {
    List<String> out = new ArrayList<>();
    for (HistoryEntry e : RunRecord.readHistory(run.resolve(RunRecord.HISTORY))) {
      out.add(
          e.generation()
              + " n="
              + e.candidate().startTokens()
              + " s="
              + e.candidate().scale()
              + " λ="
              + Arrays.toString(e.candidate().factors())
              + " f="
              + Double.doubleToLongBits(e.fitness()));
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** Same best candidate, fitness bits, per-iteration bests and final files. */
  static void assertSameResult(Path expectedRun, SearchResult expected, Path run, SearchResult got)
      throws IOException {
    assertEquals(expected.best(), got.best());
    assertEquals(
        Double.doubleToLongBits(expected.fitness()), Double.doubleToLongBits(got.fitness()));
    assertEquals(expected.bestPerIteration(), got.bestPerIteration());
    assertEquals(expected.seeds(), got.seeds());
    assertArrayEquals(expected.factors().row(0), got.factors().row(0));
    assertEquals(
        Files.readString(expectedRun.resolve("final/result_final.csv")),
        Files.readString(run.resolve("final/result_final.csv")));
    assertEquals(history(expectedRun), history(run));
  }
}
