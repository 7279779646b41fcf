package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.FactorFile;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.search.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code longrope search} end to end on a tiny model directory: outputs, resume, stages, errors.
 */
class SearchCommandTest {
  @TempDir Path dir;
  Path model;
  Path data;
  Path config;

  @BeforeEach
  void modelDataConfig() throws Exception {
    model = TinyModelDir.write(dir);
    ModelConfig c = TinyModelsAccess.llama(new NoScaling(), 16);
    data = TinyModelDir.documents(dir.resolve("docs.json"), 20);
    config = dir.resolve("small.json");
    Files.writeString(
        config,
        "{\"version\": 1, \"population\": 5, \"iterations\": 2, \"mutations\": 2,"
            + " \"crossovers\": 2, \"parents\": 3, \"init\": [\"pi\", \"ntk\", \"yarn\"]}");
  }

  List<String> args(String run, String... more) {
    return TinyModelDir.searchArgs(model, data, config, dir.resolve(run), more);
  }

  /** Every committed search config runs end to end, CMA-ES included (small budgets). */
  @Test
  void everyCommittedSearchConfigRuns() throws Exception {
    try (var files = Files.list(Path.of("../configs/search"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        ObjectNode o = Json.readObject(f);
        o.put("iterations", 1);
        if (o.path("algorithm").asText("dim_mono").equals("cmaes")) {
          ((ObjectNode) o.get("cmaes")).put("population", 4);
        } else {
          o.put("population", 6);
          o.put("mutations", 2);
          o.put("crossovers", 2);
          o.put("parents", 3);
        }
        if (o.has("start_tokens")) {
          // n̂ below the tiny target length
          ((ObjectNode) o.get("start_tokens")).putArray("candidates").add(0).add(2).add(4);
        }
        String name = f.getFileName().toString();
        if (name.startsWith("critical")) {
          continue; // needs a model whose critical pairs fall inside d/2
          // (CriticalDimSearchCommandTest)
        }
        Path small = dir.resolve("small-" + name);
        Files.writeString(small, o.toString());
        List<String> a = TinyModelDir.searchArgs(model, data, small, dir.resolve("run-" + name));
        CliRun r = CliRun.of(a.toArray(String[]::new));
        assertEquals(0, r.exit(), name + ": " + r.err());
        assertTrue(r.json().get("fitness").asDouble() > 0, name);
      }
    }
  }

  @Test
  void writesTheRunDirectoryAndResumesToTheSameResult() throws Exception {
    JsonNode r = CliRun.of(args("run").toArray(String[]::new)).json();
    Path run = dir.resolve("run");
    assertEquals(3, r.get("seeds").size());
    assertEquals("pi", r.get("seeds").get(0).get("name").asText());
    double best = r.get("fitness").asDouble();
    for (JsonNode s : r.get("seeds")) {
      assertTrue(best <= s.get("fitness").asDouble(), "never worse than a seed");
    }
    assertEquals(r.get("evaluations").asLong(), r.get("evaluated_this_session").asLong());
    double[] factors = CliRun.doubles(r.get("factors"));
    FactorTable csv = FactorFile.read(run.resolve("final/result_final.csv")).table();
    assertEquals(FactorTable.of(factors), csv);
    assertTrue(Files.readString(run.resolve("final/result_final.csv")).contains("e+00\n"));
    assertTrue(Files.isRegularFile(run.resolve("iterations/result_it001.csv")));
    RopeScaling rope =
        HfRopeConfig.parseScaling(
            Json.readObject(run.resolve("final/rope_scaling.json")), 4, "rope_scaling.json");
    assertTrue(rope instanceof LongRopeScaling);
    assertEquals(FactorTable.of(factors), ((LongRopeScaling) rope).factors());
    assertEquals(4.0, ((LongRopeScaling) rope).scale());
    assertEquals(
        r.get("evaluations").asLong(),
        RunRecord.readHistory(run.resolve(RunRecord.HISTORY)).size());
    // the report opens with final/summary.json's keys in its order, then its own
    List<String> keys = new ArrayList<>();
    r.fieldNames().forEachRemaining(keys::add);
    List<String> summary = new ArrayList<>();
    Json.readObject(run.resolve("final/summary.json")).fieldNames().forEachRemaining(summary::add);
    summary.addAll(
        List.of(
            "run", "target_length", "mode", "fitness_kind", "engine", "rope_scaling", "warnings"));
    assertEquals(summary, keys);

    // resume with only --run: everything comes from config.json, nothing is evaluated again
    String finished = Files.readString(run.resolve("final/summary.json"));
    JsonNode again = CliRun.of("search", "--run", run.toString(), "--resume", "--json").json();
    assertEquals(best, again.get("fitness").asDouble());
    assertEquals(0, again.get("evaluated_this_session").asLong());
    assertEquals(r.get("factors"), again.get("factors"));
    assertEquals(
        finished,
        Files.readString(run.resolve("final/summary.json")),
        "the finished run's summary keeps the session that did the work");

    // resuming with a different setting is refused, naming it
    CliRun bad = CliRun.of("search", "--run", run.toString(), "--resume", "--samples", "3");
    assertEquals(Main.BAD_INPUT, bad.exit());
    assertTrue(
        bad.err().contains("problem.samples") && bad.err().contains("was 2, now 3"), bad.err());

    // a new run into a used directory is refused
    CliRun again2 = CliRun.of(args("run").toArray(String[]::new));
    assertEquals(Main.BAD_INPUT, again2.exit());
    assertTrue(again2.err().contains("--resume"), again2.err());
  }

  @Test
  void secondSearchIsRelativeToTheFineTunedFactorsAndShortSearchKeepsTheLongOnes()
      throws Exception {
    JsonNode first = CliRun.of(args("first").toArray(String[]::new)).json();
    // a "fine-tuned" model: the same weights with the found factors in config.json
    Path tuned = Files.createDirectory(dir.resolve("tuned"));
    Files.copy(model.resolve("model.safetensors"), tuned.resolve("model.safetensors"));
    Files.copy(model.resolve("tokenizer.json"), tuned.resolve("tokenizer.json"));
    com.fasterxml.jackson.databind.node.ObjectNode cfg =
        Json.readObject(model.resolve("config.json"));
    cfg.set("rope_scaling", first.get("rope_scaling"));
    cfg.put("max_position_embeddings", 64);
    Files.writeString(tuned.resolve("config.json"), Json.write(cfg));
    double[] lambda1 = CliRun.doubles(first.get("factors"));

    List<String> a = args("second", "--mode", "relative", "--init", "ones");
    a.set(a.indexOf("--model") + 1, tuned.toString());
    a.set(a.indexOf("--target-length") + 1, "128");
    JsonNode second = CliRun.of(a.toArray(String[]::new)).json();
    double[] lambda2 = CliRun.doubles(second.get("searched_factors"));
    double[] saved = CliRun.doubles(second.get("factors"));
    for (int i = 0; i < 4; i++) {
      assertEquals(lambda1[i] * lambda2[i], saved[i], 1e-12, "saved as λ2 ⊙ λ1 (T10)");
    }
    assertEquals(8.0, second.get("rope_scaling").get("factor").asDouble(), "s = 128 / L = 16");
    assertEquals(16, second.get("rope_scaling").get("original_max_position_embeddings").asInt());

    List<String> s = args("short", "--mode", "short", "--init", "ones");
    s.set(s.indexOf("--model") + 1, tuned.toString());
    s.set(s.indexOf("--target-length") + 1, "16");
    JsonNode shortRun = CliRun.of(s.toArray(String[]::new)).json();
    JsonNode rope = shortRun.get("rope_scaling");
    assertEquals(first.get("factors"), rope.get("long_factor"), "long factors unchanged");
    assertEquals(shortRun.get("factors"), rope.get("short_factor"));
  }

  @Test
  void initFileWithAutoRescaleAndResumeFromTheStoredCopy() throws Exception {
    Path init = dir.resolve("init.csv");
    Files.writeString(init, "1\n1.5\n3\n4\n");
    JsonNode r =
        CliRun.of(
                args("file", "--init-file", init.toString(), "--auto-rescale")
                    .toArray(String[]::new))
            .json();
    assertEquals("file", r.get("seeds").get(0).get("name").asText());
    assertEquals(3, r.get("auto_rescale").size(), "s = 4: scales 4, 2, 1");
    assertEquals(r.get("scale").asDouble(), r.get("rope_scaling").get("factor").asDouble());
    Files.delete(init); // resume uses the factors stored in config.json
    JsonNode again =
        CliRun.of("search", "--run", dir.resolve("file").toString(), "--resume", "--json").json();
    assertEquals(0, again.get("evaluated_this_session").asLong());
    assertEquals(r.get("factors"), again.get("factors"));
  }

  @Test
  void anF16SearchRecordsItsDtypeResumesInItAndRefusesAnother() throws Exception {
    JsonNode f32 = CliRun.of(args("f32").toArray(String[]::new)).json();
    JsonNode f16 = CliRun.of(args("f16", "--dtype", "f16").toArray(String[]::new)).json();
    Path run = dir.resolve("f16");
    assertEquals(
        "f16", Json.readObject(run.resolve("config.json")).get("problem").get("dtype").asText());
    assertTrue(
        !Json.readObject(dir.resolve("f32").resolve("config.json")).get("problem").has("dtype"),
        "an f32 record reads as before the key existed");
    // the same seeds, evaluated in f16: perplexities within 0.5% of f32's, not identical
    JsonNode a = f32.get("seeds");
    JsonNode b = f16.get("seeds");
    boolean differs = false;
    for (int i = 0; i < a.size(); i++) {
      double x = a.get(i).get("fitness").asDouble();
      double y = b.get(i).get("fitness").asDouble();
      assertEquals(x, y, 5e-3 * x, a.get(i).get("name").asText());
      differs |= x != y;
    }
    assertTrue(differs, "the f16 search ran in f16");
    JsonNode again = CliRun.of("search", "--run", run.toString(), "--resume", "--json").json();
    assertEquals(0, again.get("evaluated_this_session").asLong());
    assertEquals(f16.get("fitness").asDouble(), again.get("fitness").asDouble());
    CliRun other = CliRun.of("search", "--run", run.toString(), "--resume", "--dtype", "f32");
    assertEquals(Main.BAD_INPUT, other.exit());
    assertTrue(other.err().contains("problem.dtype"), other.err());
  }

  @Test
  void needleFitnessRuns() {
    JsonNode r =
        CliRun.of(args("needle", "--fitness", "needle", "--split-documents").toArray(String[]::new))
            .json();
    assertEquals("needle", r.get("fitness_kind").asText());
    assertTrue(r.get("fitness").asDouble() > 1);
  }

  @Test
  void clearErrors() throws Exception {
    CliRun r = CliRun.of(args("x", "--mode", "relative").toArray(String[]::new));
    assertEquals(Main.BAD_INPUT, r.exit());
    assertTrue(r.err().contains("static longrope"), r.err());

    List<String> a = args("y");
    a.set(a.indexOf("--target-length") + 1, "16");
    r = CliRun.of(a.toArray(String[]::new));
    assertEquals(Main.BAD_INPUT, r.exit());
    assertTrue(r.err().contains("must exceed the model's original length 16"), r.err());

    Files.writeString(config, "{\"version\": 1, \"parents\": 99}");
    r = CliRun.of(args("z").toArray(String[]::new));
    assertEquals(Main.BAD_INPUT, r.exit());
    assertTrue(r.err().contains("small.json") && r.err().contains("'parents'"), r.err());
    assertEquals(
        "error",
        Json.parseObject(r.out(), "out").fieldNames().next().equals("command") ? "error" : "");

    r = CliRun.of("search", "--run", dir.resolve("none").toString());
    assertEquals(Main.BAD_INPUT, r.exit());
    assertTrue(r.err().contains("--model, --data and --target-length"), r.err());
  }
}
