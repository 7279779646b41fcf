package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny {@code critical_dim} search with the needle fitness on the bundled model, end to end: the
 * range [d10_tcd, d_tcd] is reported and recorded, the found critical pair lies inside it, and the
 * factors keep the structure.
 */
class CriticalDimSearchCommandTest {
  @TempDir Path dir;

  @Test
  void tinyNeedleSearchOnTheBundledModel() throws Exception {
    Path data = dir.resolve("docs.json");
    SplittableRandom rng = new SplittableRandom(5);
    StringBuilder sb = new StringBuilder("[");
    for (int d = 0; d < 2; d++) {
      sb.append(d == 0 ? "[" : ",[");
      for (int t = 0; t < 1100; t++) {
        sb.append(t == 0 ? "" : ",").append(100 + rng.nextInt(20_000));
      }
      sb.append("]");
    }
    Files.writeString(data, sb.append("]").toString());
    Path config = dir.resolve("critical.json");
    Files.writeString(
        config,
        "{\"version\": 1, \"algorithm\": \"critical_dim\", \"population\": 4, \"iterations\": 1,"
            + " \"mutations\": 2, \"crossovers\": 2, \"parents\": 2}");
    Path run = dir.resolve("run");
    String[] args =
        CliRun.words(
            "search --model ../models/bundled --data {} --target-length 512 --config {} --fitness"
                + " needle --samples 2 --split-documents --threads 1 --run {}",
            data,
            config,
            run);
    CliRun text = CliRun.of(args);
    assertEquals(0, text.exit(), text.err());
    assertTrue(
        text.out().contains("d_tcd 26 (pair 13), d10_tcd 10 (pair 5); searched pairs [5, 13]"),
        text.out());
    JsonNode summary = Json.readObject(run.resolve("final/summary.json"));
    JsonNode c = summary.get("critical_dim");
    assertEquals(26, c.get("d_tcd").asInt());
    assertEquals(10, c.get("d10_tcd").asInt());
    int found = c.get("found_pair").asInt();
    assertTrue(found >= 5 && found <= 13, "found " + found);
    double[] lambda = CliRun.doubles(summary.get("factors"));
    assertEquals(32, lambda.length);
    for (int j = found; j < 32; j++) {
      assertTrue(lambda[j] >= 2 - 1e-9 && lambda[j] <= 4 + 1e-9, "λ_" + j + " in [s, 2s]");
    }
    assertEquals(1.0, lambda[0]);
    JsonNode derived = Json.readObject(run.resolve("config.json")).path("derived");
    assertEquals(13, derived.path("critical_dim").path("high").asInt(), derived.toString());

    // resume: nothing evaluated again, the same report
    JsonNode again = CliRun.of("search", "--run", run.toString(), "--resume", "--json").json();
    assertEquals(0, again.get("evaluated_this_session").asLong());
    assertEquals(found, again.get("critical_dim").get("found_pair").asInt());
    assertEquals(summary.get("factors"), again.get("factors"));

    // critical_dim is for long factors only
    CliRun shortMode =
        CliRun.line(
            "search --model ../models/bundled --data {} --target-length 256 --mode short --config {}"
                + " --run {}",
            data,
            config,
            dir.resolve("short"));
    assertEquals(Main.BAD_INPUT, shortMode.exit());
  }
}
