package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.Fingerprint;
import io.github.longrope.io.Json;
import io.github.longrope.io.RunStamp;
import io.github.longrope.notebook.Stamp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reproducibility stamp inside a search's {@code config.json}: written when a stamp source is
 * installed (the notebook kernel installs {@link Stamp#forRecord}), absent otherwise; never
 * compared on resume, so a resume from another session (another stamp) and an old record without
 * one both resume, and the record then holds the resuming session's stamp.
 */
class RunStampRecordTest {
  @TempDir Path dir;

  @AfterEach
  void uninstall() {
    RunStamp.install(null);
  }

  private String[] search(Path data, Path config, Path run) {
    return CliRun.words(
        "search --model ../models/bundled --data {} --target-length 512 --config {} --samples 1"
            + " --split-documents --threads 1 --run {}",
        data,
        config,
        run);
  }

  @Test
  void aNotebookSearchRecordCarriesTheStampAndResumesAcrossStamps() throws Exception {
    Path data = dir.resolve("docs.json");
    SplittableRandom rng = new SplittableRandom(3);
    StringBuilder sb = new StringBuilder("[[");
    for (int t = 0; t < 600; t++) {
      sb.append(t == 0 ? "" : ",").append(100 + rng.nextInt(20_000));
    }
    Files.writeString(data, sb.append("]]").toString());
    Path config = dir.resolve("tiny.json");
    Files.writeString(
        config,
        "{\"version\": 1, \"population\": 3, \"iterations\": 1, \"mutations\": 1,"
            + " \"crossovers\": 1, \"parents\": 2, \"init\": [\"pi\", \"yarn\"], \"seed\": 9}");

    // the command line installs no source: no stamp
    Path plain = dir.resolve("plain");
    CliRun cli = CliRun.of(search(data, config, plain));
    assertEquals(0, cli.exit(), cli.err());
    assertFalse(Json.readObject(plain.resolve("config.json")).has(RunStamp.KEY));

    // as in the kernel: the stamp of this checkout, model and data, with the search's seed
    RunStamp.install(Stamp::forRecord);
    Path run = dir.resolve("run");
    cli = CliRun.of(search(data, config, run));
    assertEquals(0, cli.exit(), cli.err());
    JsonNode stamp = Json.readObject(run.resolve("config.json")).get(RunStamp.KEY);
    Stamp direct = Stamp.of(Path.of("../models/bundled"), data).withSeed("search", 9);
    assertEquals(direct.gitCommit(), stamp.get("gitCommit").asText());
    assertEquals(direct.gitDirty(), stamp.get("gitDirty").asBoolean());
    assertEquals(direct.modelWeightsSha256(), stamp.get("modelWeightsSha256").asText());
    assertEquals(
        Fingerprint.files(List.of(data)), stamp.get("data").get("docs.json").asText(), "data hash");
    assertEquals(9, stamp.get("seeds").get("search").asLong());
    assertEquals(direct.device(), stamp.get("device").asText());

    // another session (another stamp) resumes; the record then holds its stamp
    RunStamp.install((m, d, s) -> Json.MAPPER.createObjectNode().put("gitCommit", "other"));
    CliRun again = CliRun.of("search", "--run", run.toString(), "--resume", "--json");
    assertEquals(0, again.exit(), again.err());
    assertEquals(0, again.json().get("evaluated_this_session").asLong());
    assertEquals(
        "other",
        Json.readObject(run.resolve("config.json")).get(RunStamp.KEY).get("gitCommit").asText());

    // a record from before stamps (no key) resumes too, and gains one
    ObjectNode old = Json.readObject(plain.resolve("config.json"));
    assertTrue(!old.has(RunStamp.KEY));
    again = CliRun.of("search", "--run", plain.toString(), "--resume", "--json");
    assertEquals(0, again.exit(), again.err());
    assertTrue(Json.readObject(plain.resolve("config.json")).has(RunStamp.KEY));
  }
}
