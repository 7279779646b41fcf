package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.pipeline.TinyPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code longrope pipeline}: JSON report, resume, and errors that name the key (exit 2). */
class PipelineCommandTest {
  @TempDir Path dir;

  @Test
  void runsResumesAndReportsErrors() throws Exception {
    TinyPipeline.writeModelAndData(dir);
    Path config = TinyPipeline.configFile(dir);
    CliRun check = CliRun.of("pipeline", "--config", config.toString(), "--check");
    assertEquals(0, check.exit(), check.err());
    assertTrue(check.out().contains("valid"), check.out());
    JsonNode r = CliRun.of("pipeline", "--config", config.toString(), "--json").json();
    assertEquals(6, r.get("stages").size());
    assertEquals(15, r.get("table").size());
    assertTrue(Files.isRegularFile(Path.of(r.get("exported").asText(), "config.json")));
    for (JsonNode s : r.get("stages")) {
      assertEquals(false, s.get("skipped").asBoolean());
    }

    JsonNode again =
        CliRun.of("pipeline", "--config", config.toString(), "--resume", "--json").json();
    for (JsonNode s : again.get("stages")) {
      assertEquals(true, s.get("skipped").asBoolean());
    }
    assertEquals(r.get("table"), again.get("table"));

    CliRun text = CliRun.of("pipeline", "--config", config.toString(), "--resume");
    assertEquals(0, text.exit(), text.err());
    assertTrue(
        text.out().contains("stage6-evaluate") && text.out().contains("extended"), text.out());

    CliRun used = CliRun.of("pipeline", "--config", config.toString());
    assertEquals(Main.BAD_INPUT, used.exit());
    assertTrue(used.err().contains("--resume"), used.err());

    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, Files.readString(config).replace("\"samples\" : 2", "\"samples\" : 0"));
    CliRun invalid = CliRun.of("pipeline", "--config", bad.toString());
    assertEquals(Main.BAD_INPUT, invalid.exit());
    assertTrue(invalid.err().contains("search_long.samples"), invalid.err());
  }
}
