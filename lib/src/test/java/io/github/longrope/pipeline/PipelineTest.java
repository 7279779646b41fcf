package io.github.longrope.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.data.TokenFile;
import io.github.longrope.eval.Perplexity;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.Json;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.MagnitudeScaling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * All five stages and the table end to end on a tiny random model (L = 16, 8× = 128, 64× = 1024):
 * the export's factors are the stages' factors, the export reproduces the in-memory extended model,
 * and resume redoes exactly the stages whose markers are missing.
 */
class PipelineTest {
  @TempDir Path dir;
  final ModelConfig base = TinyPipeline.BASE;

  @BeforeEach
  void modelAndData() throws Exception {
    TinyPipeline.writeModelAndData(dir);
  }

  PipelineConfig config() throws Exception {
    return TinyPipeline.config(dir);
  }

  /** Records which stages ran and which were skipped. */
  static final class Recorder implements Pipeline.Listener {
    final List<Stage> ran = new ArrayList<>();
    final List<Stage> skipped = new ArrayList<>();
    final List<Stage> discarded = new ArrayList<>();
    final List<Boolean> resuming = new ArrayList<>();

    @Override
    public void stageDiscarded(Stage stage, String difference) {
      discarded.add(stage);
    }

    @Override
    public void stageStarted(Stage stage, boolean resumingStage) {
      ran.add(stage);
      resuming.add(resumingStage);
    }

    @Override
    public void stageSkipped(Stage stage, StageRecord record) {
      skipped.add(stage);
    }
  }

  static double[] doubles(JsonNode a) {
    double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).asDouble();
    }
    return v;
  }

  @Test
  void runsAllStagesExportsTheProductAndResumesOnlyWhatIsMissing() throws Exception {
    PipelineConfig c = config();
    Recorder first = new Recorder();
    Pipeline.Result r = Pipeline.run(c, first);
    assertEquals(List.of(Stage.values()), first.ran);
    Path run = dir.resolve("run");
    for (Stage s : Stage.values()) {
      assertTrue(Files.isRegularFile(run.resolve(s.dirName()).resolve(StageRecord.FILE)), s + "");
    }

    // the export: long = λ2 ⊙ λ1 elementwise, the short set of stage 4, the extended context
    double[] lambda1 = doubles(r.record(Stage.SEARCH_LONG).value("factors"));
    double[] lambda2 = doubles(r.record(Stage.SEARCH_RELATIVE).value("searched"));
    double[] shortSet = doubles(r.record(Stage.SEARCH_SHORT).value("factors"));
    JsonNode exported = Json.readObject(r.exported().resolve("config.json"));
    JsonNode rope = exported.get("rope_scaling");
    assertEquals("longrope", rope.get("rope_type").asText());
    double[] longFactor = doubles(rope.get("long_factor"));
    assertEquals(base.rope().pairs(), longFactor.length);
    for (int i = 0; i < longFactor.length; i++) {
      assertEquals(lambda2[i] * lambda1[i], longFactor[i], 1e-12, "long_factor[" + i + "]");
    }
    assertEquals(
        FactorTable.of(shortSet), FactorTable.of(doubles(rope.get("short_factor"))), "short");
    assertEquals(1024, exported.get("max_position_embeddings").asInt());
    assertEquals(16, rope.get("original_max_position_embeddings").asInt());
    assertEquals(64.0, rope.get("factor").asDouble());
    assertTrue(Files.isRegularFile(r.exported().resolve("tokenizer.json")));

    // reloading the export gives the same perplexity as the in-memory extended model:
    // the fine-tuned weights under the pair built here from the stages' factors
    LongRopeScaling pair =
        new LongRopeScaling(
            FactorTable.of(longFactor),
            FactorTable.of(shortSet),
            16,
            64,
            r.record(Stage.SEARCH_SHORT).value("start_tokens").asInt(),
            new MagnitudeScaling.Su(),
            null,
            false);
    Path fineTuned = r.record(Stage.FINETUNE).path(run, "model");
    ModelConfig ft = HfModelConfig.read(fineTuned).config();
    TokenFile eval = TokenFile.open(dir.resolve("eval.bin"));
    try (Decoder inMemory = HfModel.load(fineTuned, ft.withRope(pair, 16))) {
      for (int length : List.of(16, 1024)) {
        double ppl =
            new Perplexity(length, 256, 1, 1024, true).evaluate(inMemory, pair, eval, null).ppl();
        assertEquals(ppl, cell(r, "extended", length), 1e-9 * ppl, "extended @ " + length);
      }
    }
    assertEquals(15, r.table().rowCount());
    assertTrue(Files.isRegularFile(run.resolve("stage6-evaluate/table.md")));

    // a second run into the same folder needs --resume
    IllegalArgumentException used =
        assertThrows(IllegalArgumentException.class, () -> Pipeline.run(c, Pipeline.Listener.NONE));
    assertTrue(used.getMessage().contains("--resume"), used.getMessage());

    // resume after deleting the last stage's marker: only that stage runs, to the same table
    Files.delete(run.resolve("stage6-evaluate").resolve(StageRecord.FILE));
    Recorder second = new Recorder();
    Pipeline.Result again = Pipeline.run(c, true, second);
    assertEquals(List.of(Stage.EVALUATE), second.ran);
    assertEquals(5, second.skipped.size());
    assertEquals(cell(r, "none", 1024), cell(again, "none", 1024));

    // deleting stage 5's marker redoes stage 5 and everything after it
    Files.delete(run.resolve("stage5-export").resolve(StageRecord.FILE));
    Recorder third = new Recorder();
    Pipeline.run(c, true, third);
    assertEquals(List.of(Stage.EXPORT, Stage.EVALUATE), third.ran);
    assertEquals(List.of(true, true), third.resuming, "same inputs: the table's cells are kept");

    // partial work made from other inputs is discarded, not resumed
    Path stage6 = run.resolve("stage6-evaluate");
    Files.writeString(
        stage6.resolve(Pipeline.INPUTS),
        Files.readString(stage6.resolve(Pipeline.INPUTS)).replace("\"f32\"", "\"f16\""));
    Files.delete(stage6.resolve(StageRecord.FILE));
    Recorder stale = new Recorder();
    Pipeline.Result recomputed = Pipeline.run(c, true, stale);
    assertEquals(List.of(Stage.EVALUATE), stale.discarded);
    assertEquals(List.of(false), stale.resuming);
    assertEquals(cell(r, "extended", 1024), cell(recomputed, "extended", 1024));

    // the resolved pipeline.json is itself a config that resumes the run
    PipelineConfig stored = PipelineConfig.read(run.resolve(Pipeline.CONFIG));
    Recorder fourth = new Recorder();
    Pipeline.run(stored, true, fourth);
    assertTrue(fourth.ran.isEmpty());

    // resuming with other settings is refused, naming the key
    String changed = TinyPipeline.text().replace("\"steps\": 3", "\"steps\": 4");
    PipelineConfig other = PipelineConfig.parse(changed, "changed.json", dir);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Pipeline.run(other, true, Pipeline.Listener.NONE));
    assertTrue(e.getMessage().contains("finetune.steps"), e.getMessage());
  }

  static double cell(Pipeline.Result r, String method, int length) {
    for (int i = 0; i < r.table().rowCount(); i++) {
      if (r.table().stringColumn("method").get(i).equals(method)
          && r.table().intColumn("length").get(i) == length) {
        return r.table().doubleColumn("ppl").get(i);
      }
    }
    throw new AssertionError("no cell " + method + " @ " + length);
  }

  @Test
  void bundledConfigIsValidAndExtendsTo64x() {
    PipelineConfig c = PipelineConfig.read(Path.of("../configs/pipeline/bundled-16k.json"));
    assertEquals(2048, c.searchLong().targetLength());
    assertEquals(16384, c.searchRelative().targetLength());
    assertEquals(256, c.searchShort().targetLength());
    assertEquals(16384, c.export().maxPositionEmbeddings());
    assertEquals(2048, c.trainConfig(dir, c.model(), null).context());
    // stage 3 is the expensive one (a minute per 16k candidate on two cores): a handful only
    assertTrue(c.searchRelative().searchConfig().effectivePopulation() <= 4);
    assertEquals(1, c.searchRelative().samples());
  }

  @Test
  void validationErrorsNameTheKey() throws Exception {
    String tiny = TinyPipeline.text();
    assertKey(tiny.replace("\"target_length\": 128,", ""), "search_long.target_length");
    assertKey(tiny.replace("\"version\": 1,\n  \"run\"", "\"version\": 2,\n  \"run\""), "version");
    assertKey(tiny.replace("\"steps\": 3", "\"rope_scaling\": {}"), "finetune.rope_scaling");
    assertKey(tiny.replace("\"steps\": 3", "\"steps\": 0"), "steps");
    assertKey(tiny.replace("\"dtype\": \"f32\"", "\"dtype\": \"bf16\""), "export.dtype");
    assertKey(
        tiny.replace("\"version\": 1,\n  \"run\"", "\"version\": 1, \"dtype\": \"f8\",\n  \"run\""),
        "dtype");
    // the compute dtype of the searches and the evaluation: optional, f32 when absent
    assertEquals(
        io.github.longrope.model.Precision.F16,
        PipelineConfig.parse(
                tiny.replace(
                    "\"version\": 1,\n  \"run\"", "\"version\": 1, \"dtype\": \"f16\",\n  \"run\""),
                "p.json",
                dir)
            .precision());
    assertEquals(
        io.github.longrope.model.Precision.F32,
        PipelineConfig.parse(tiny, "p.json", dir).precision());
    assertKey(tiny.replace("\"none\", \"pi\"", "\"none\", \"alibi\""), "evaluate.methods");
    assertKey(tiny.replace("\"export\"", "\"exports\""), "exports");
    assertKey(tiny.replace("\"population\": 2", "\"population\": 0"), "search_relative.search");
    assertKey(tiny.replace("\"target_length\": 1024", "\"target_length\": 100"), "search_relative");
    // checked against the model before any work: short factors serve up to L = 16
    PipelineConfig c =
        PipelineConfig.parse(
            tiny.replace("\"target_length\": 16,", "\"target_length\": 32,"), "x.json", dir);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Pipeline.run(c, Pipeline.Listener.NONE));
    assertTrue(e.getMessage().contains("search_short.target_length"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("run")), "nothing written before the checks pass");
    PipelineConfig missing =
        PipelineConfig.parse(tiny.replace("eval.bin", "nope.bin"), "x.json", dir);
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Pipeline.run(missing, Pipeline.Listener.NONE));
    assertTrue(e.getMessage().contains("data.eval"), e.getMessage());
  }

  void assertKey(String text, String key) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PipelineConfig.parse(text, "x", dir));
    assertTrue(e.getMessage().contains(key), key + " not named in: " + e.getMessage());
  }
}
