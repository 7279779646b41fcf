package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.data.TokenFileWriter;
import io.github.longrope.io.FactorFile;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.search.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code longrope quickstart} end to end on a tiny model (L = 16, search at 4× = 64) with token
 * files laid out as the corpus recipe writes them: tables, charts, export, resume, bad config.
 */
class QuickstartCommandTest {
  @TempDir Path dir;
  Path config;

  @BeforeEach
  void modelCorpusConfig() throws Exception {
    Path model = Files.createDirectory(dir.resolve("model"));
    ModelConfig c = TinyModelsAccess.llama(new NoScaling(), 16);
    HfModel.write(model, c, TinyModelsAccess.weights(c, 1), SafetensorsFile.Dtype.F32);
    Files.copy(
        Path.of(getClass().getResource("/tokenizer/tokenizer.json").toURI()),
        model.resolve("tokenizer.json"));
    Path data = Files.createDirectories(dir.resolve("datasets/corpus/data"));
    for (String split : new String[] {"search", "eval-books"}) {
      try (TokenFileWriter w = new TokenFileWriter(data.resolve(split))) {
        for (int d = 0; d < 3; d++) {
          w.add(TinyModelsAccess.ids(c, 300, split.length() * 10 + d));
        }
        w.commit();
      }
    }
    config = dir.resolve("quickstart.json");
    Files.writeString(
        config,
        ("{'version': 1, 'model': '%s', 'datasets': '%s', 'output': '%s', 'target_length': 64,"
                + " 'search': {'version': 1, 'population': 4, 'iterations': 2, 'mutations': 2,"
                + " 'crossovers': 2, 'parents': 2, 'init': ['pi', 'ntk', 'yarn']},"
                + " 'search_samples': 2, 'eval_lengths': [16, 32, 64, 128], 'eval_pieces': 2,"
                + " 'export_dtype': 'f32'}")
            .formatted(model, dir.resolve("datasets"), dir.resolve("out"))
            .replace('\'', '"'));
  }

  @Test
  void writesTablesChartsAndAnExportThenResumes() throws Exception {
    JsonNode r = CliRun.of("quickstart", "--config", config.toString(), "--json").json();
    Path out = dir.resolve("out");
    // 5 baselines + the found factors, at 4 lengths
    assertEquals(24, r.get("rows").size());
    Set<String> methods = new HashSet<>();
    r.get("rows").forEach(x -> methods.add(x.get("method").asText()));
    assertEquals(
        Set.of("none", "pi", "ntk", "yarn", "longrope-yarn-seed", "longrope-found"), methods);
    for (JsonNode x : r.get("rows")) {
      assertTrue(x.get("ppl").asDouble() > 1, x.toString());
      assertEquals(2, x.get("windows").asInt(), x.toString());
    }
    // wins are reported for the lengths >= L' and agree with the rows
    assertEquals(Set.of("64", "128"), fieldNames(r.get("found_beats_every_baseline")));
    for (String len : fieldNames(r.get("found_beats_every_baseline"))) {
      double found = Double.NaN;
      double best = Double.MAX_VALUE;
      for (JsonNode x : r.get("rows")) {
        if (x.get("length").asText().equals(len)) {
          if (x.get("method").asText().equals("longrope-found")) {
            found = x.get("ppl").asDouble();
          } else {
            best = Math.min(best, x.get("ppl").asDouble());
          }
        }
      }
      assertEquals(found < best, r.get("found_beats_every_baseline").get(len).asBoolean());
    }
    for (String f :
        new String[] {
          "ppl.csv",
          "ppl.md",
          "ppl-vs-length.png",
          "factors.csv",
          "factors.png",
          "summary.json",
          "README.md",
          "search/final/result_final.csv",
          "export/config.json",
          "export/model.safetensors",
          "export/tokenizer.json"
        }) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    assertTrue(Files.readString(out.resolve("README.md")).contains("not LLaMA-2"));
    // the pipeline's run folder: stages the preset leaves out have no folder
    assertTrue(Files.isRegularFile(out.resolve("pipeline.json")));
    for (String absent :
        new String[] {"stage1-search-long", "stage2-finetune", "stage3-search-relative"}) {
      assertFalse(Files.exists(out.resolve(absent)), absent);
    }
    // the export carries the found factors at L' = 64
    JsonNode exported = Json.readObject(out.resolve("export/config.json"));
    assertEquals(64, exported.get("max_position_embeddings").asInt());
    RopeScaling rope = HfRopeConfig.parseScaling(exported.get("rope_scaling"), 4, "export");
    assertEquals(
        FactorFile.read(out.resolve("search/final/result_final.csv")).table(),
        ((LongRopeScaling) rope).factors());

    // a second start resumes the finished search: no candidate is evaluated again
    long history = RunRecord.readHistory(out.resolve("search/" + RunRecord.HISTORY)).size();
    JsonNode again = CliRun.of("quickstart", "--config", config.toString(), "--json").json();
    assertEquals(r.get("best_fitness"), again.get("best_fitness"));
    assertEquals(r.get("rows"), again.get("rows"));
    assertEquals(history, RunRecord.readHistory(out.resolve("search/" + RunRecord.HISTORY)).size());
  }

  @Test
  void aKilledTableResumesAndAChangedSearchStartsOver() throws Exception {
    JsonNode r = CliRun.of("quickstart", "--config", config.toString(), "--json").json();
    Path out = dir.resolve("out");
    // killed during the table: its marker and its last cells gone
    Path evaluate = out.resolve("stage6-evaluate");
    Files.delete(evaluate.resolve("done.json"));
    List<String> cells = Files.readAllLines(evaluate.resolve("cells.jsonl"));
    Files.write(evaluate.resolve("cells.jsonl"), cells.subList(0, 5));
    long history = RunRecord.readHistory(out.resolve("search/" + RunRecord.HISTORY)).size();
    CliRun again = CliRun.of("quickstart", "--config", config.toString(), "--json");
    assertEquals(0, again.exit(), again.err());
    assertEquals(r.get("rows"), again.json().get("rows"));
    assertEquals(cells.size(), Files.readAllLines(evaluate.resolve("cells.jsonl")).size());
    assertEquals(history, RunRecord.readHistory(out.resolve("search/" + RunRecord.HISTORY)).size());

    // another seed: the search starts over (never an error), and the table is redone
    Files.writeString(
        config, Files.readString(config).replace("\"init\"", "\"seed\": 7, \"init\""));
    CliRun changed = CliRun.of("quickstart", "--config", config.toString());
    assertEquals(0, changed.exit(), changed.err());
    assertTrue(changed.err().contains("starting over"), changed.err());
    assertTrue(changed.err().contains("search.seed"), changed.err());
  }

  @Test
  void badConfigNamesTheKey() throws Exception {
    String text = Files.readString(config).replace("\"eval_pieces\": 2", "\"eval_pieces\": 0");
    Files.writeString(config, text);
    CliRun bad = CliRun.of("quickstart", "--config", config.toString());
    assertEquals(Main.BAD_INPUT, bad.exit());
    assertTrue(bad.err().contains("eval_pieces") && bad.err().contains(">= 1"), bad.err());

    Files.writeString(config, text.replace("\"eval_pieces\": 0", "\"eval_piece\": 2"));
    CliRun unknown = CliRun.of("quickstart", "--config", config.toString());
    assertEquals(Main.BAD_INPUT, unknown.exit());
    assertTrue(unknown.err().contains("eval_piece") && unknown.err().contains("unknown"));
  }

  private static Set<String> fieldNames(JsonNode o) {
    Set<String> s = new HashSet<>();
    o.fieldNames().forEachRemaining(s::add);
    return s;
  }
}
