package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.Json;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.search.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search's run folder is identified by what it read, not by where: moved together with its model
 * and data (another clone, another folder) it resumes with nothing evaluated again; with changed
 * weights or data it is refused, naming which; a record from before fingerprints is brought up to
 * date when its paths name the same files.
 */
class MovedRunTest {
  @TempDir Path tmp;
  Path first;
  ModelConfig config;

  @BeforeEach
  void project() throws Exception {
    first = tmp.resolve("first-clone");
    Path model = Files.createDirectories(first.resolve("models/tiny"));
    config = TinyModelsAccess.llama(new NoScaling(), 16);
    HfModel.write(model, config, TinyModelsAccess.weights(config, 1), SafetensorsFile.Dtype.F32);
    StringBuilder sb = new StringBuilder("[");
    for (int d = 0; d < 3; d++) {
      sb.append(d == 0 ? "" : ",").append(Arrays.toString(TinyModelsAccess.ids(config, 160, d)));
    }
    Files.createDirectories(first.resolve("data"));
    Files.writeString(first.resolve("data/docs.json"), sb.append("]").toString());
    Files.writeString(
        first.resolve("small.json"),
        "{\"version\": 1, \"population\": 4, \"iterations\": 2, \"mutations\": 2,"
            + " \"crossovers\": 2, \"parents\": 2, \"init\": [\"pi\", \"ntk\", \"yarn\"]}");
    JsonNode r = search(first, "--model", "models/tiny", "--data", "data/docs.json").json();
    assertTrue(r.get("evaluated_this_session").asLong() > 0);
  }

  /** {@code longrope search} on {@code root}'s run folder, model and data given relative to it. */
  private CliRun search(Path root, String... inputs) {
    String[] args = {
      "search",
      "--target-length",
      "64",
      "--config",
      root.resolve("small.json").toString(),
      "--samples",
      "2",
      "--run",
      root.resolve("results/run").toString(),
      "--json"
    };
    String[] all = Arrays.copyOf(args, args.length + inputs.length);
    for (int i = 0; i < inputs.length; i++) {
      // --model DIR / --data FILE: relative to the project root
      all[args.length + i] = i % 2 == 1 ? root.resolve(inputs[i]).toString() : inputs[i];
    }
    return CliRun.of(all);
  }

  private static CliRun resume(Path root, String... more) {
    String[] args = {
      "search", "--run", root.resolve("results/run").toString(), "--resume", "--json"
    };
    String[] all = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return CliRun.of(all);
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }

  @Test
  void theRecordHoldsNoAbsolutePathAndResumesInAnotherFolder() throws Exception {
    String stored = Files.readString(first.resolve("results/run/" + RunRecord.CONFIG));
    assertFalse(stored.contains(tmp.toString()), stored);
    JsonNode problem = Json.readObject(first.resolve("results/run/config.json")).get("problem");
    assertEquals("../../models/tiny", problem.get("model").asText());
    assertEquals("../../data/docs.json", problem.get("data").asText());

    Path second = tmp.resolve("somewhere/else/second-clone");
    copyTree(first, second);
    long lines = RunRecord.readHistory(second.resolve("results/run/history.jsonl")).size();
    // only --run: model and data come from the record, resolved against the moved folder
    JsonNode again = resume(second).json();
    assertEquals(0, again.get("evaluated_this_session").asLong());
    assertEquals(lines, RunRecord.readHistory(second.resolve("results/run/history.jsonl")).size());
    // the same run, resumed with its inputs named by other spellings, is still the same run
    Path link = Files.createSymbolicLink(tmp.resolve("link"), second);
    JsonNode linked =
        resume(second, "--model", link.resolve("models/../models/tiny").toString()).json();
    assertEquals(0, linked.get("evaluated_this_session").asLong());
    assertEquals(again.get("fitness"), linked.get("fitness"));
  }

  @Test
  void changedWeightsOrDataAreRefusedByName() throws Exception {
    Path second = tmp.resolve("second");
    copyTree(first, second);
    HfModel.write(
        second.resolve("models/tiny"),
        config,
        TinyModelsAccess.weights(config, 2),
        SafetensorsFile.Dtype.F32);
    CliRun model = resume(second);
    assertEquals(Main.BAD_INPUT, model.exit());
    assertTrue(model.err().contains("'fingerprints.model'"), model.err());
    // asked explicitly, the resume goes on, says which input changed, and records the new one
    JsonNode accepted = resume(second, "--accept-changed-inputs").json();
    assertTrue(accepted.get("warnings").toString().contains("the model changed"), "" + accepted);
    assertEquals(0, resume(second).json().get("evaluated_this_session").asLong());

    Path third = tmp.resolve("third");
    copyTree(first, third);
    Path docs = third.resolve("data/docs.json");
    Files.writeString(docs, Files.readString(docs).replaceFirst("\\[\\[\\d+", "[[7"));
    CliRun data = resume(third);
    assertEquals(Main.BAD_INPUT, data.exit());
    assertTrue(data.err().contains("'fingerprints.data'"), data.err());
  }

  @Test
  void aRecordFromBeforeFingerprintsIsUpgradedWhenItsPathsNameTheSameFiles() throws Exception {
    Path file = first.resolve("results/run/" + RunRecord.CONFIG);
    ObjectNode legacy = Json.readObject(file);
    legacy.remove("fingerprints");
    ObjectNode problem = (ObjectNode) legacy.get("problem");
    problem.put("model", first.resolve("models/tiny").toString());
    problem.put("data", first.resolve("data/docs.json").toString());
    Files.writeString(file, Json.write(legacy));

    JsonNode again = resume(first).json();
    assertEquals(0, again.get("evaluated_this_session").asLong());
    JsonNode upgraded = Json.readObject(file);
    assertTrue(upgraded.has("fingerprints"), upgraded.toString());
    assertEquals("../../models/tiny", upgraded.get("problem").get("model").asText());

    // the same legacy record copied elsewhere, its old folder gone: its paths cannot be checked,
    // so it is refused, naming the path it holds
    Files.writeString(file, Json.write(legacy));
    Path second = tmp.resolve("second");
    copyTree(first, second);
    AtomicFiles.deleteTree(first);
    CliRun moved =
        resume(
            second,
            "--model",
            second.resolve("models/tiny").toString(),
            "--data",
            second.resolve("data/docs.json").toString());
    assertEquals(Main.BAD_INPUT, moved.exit());
    assertTrue(moved.err().contains("'problem.model'"), moved.err());
  }
}
