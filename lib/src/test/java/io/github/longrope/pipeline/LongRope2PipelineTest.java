package io.github.longrope.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LongRoPE2 preset: a critical-dimension search with the needle fitness, a mixed-window
 * fine-tune, and an export whose short set is the original RoPE (all ones) and whose long set is
 * stage 1's factors; stages 3 and 4 are skipped.
 */
class LongRope2PipelineTest {
  @TempDir Path dir;

  @Test
  void criticalDimSearchMixedFineTuneAndExportWithOriginalShortFactors() throws Exception {
    TinyPipeline.writeModelAndData(dir);
    String text =
        Files.readString(
            Path.of(
                LongRope2PipelineTest.class.getResource("/pipeline/tiny-longrope2.json").toURI()));
    PipelineConfig c = PipelineConfig.parse(text, "tiny-longrope2.json", dir);
    assertEquals(null, c.searchRelative());
    assertEquals(128, c.export().maxPositionEmbeddings(), "the extended context is stage 1's");
    PipelineTest.Recorder rec = new PipelineTest.Recorder();
    Pipeline.Result r = Pipeline.run(c, rec);
    assertEquals(List.of(Stage.values()), rec.ran);
    assertTrue(r.record(Stage.SEARCH_RELATIVE).value("skipped").asBoolean());
    assertTrue(r.record(Stage.SEARCH_SHORT).value("skipped").asBoolean());

    Path run = dir.resolve("run2");
    JsonNode summary =
        Json.readObject(run.resolve("stage1-search-long/final/summary.json")).get("critical_dim");
    assertEquals(2, summary.get("d_tcd").asInt(), "tiny model: d 8, b 1e4, L 16 → pair 1");
    int found = summary.get("found_pair").asInt();
    assertTrue(found >= 0 && found <= 1, "found " + found);

    int packed = 0;
    for (String line : Files.readAllLines(run.resolve("stage2-finetune/log.jsonl"))) {
      packed += Json.parseObject(line, "log").get("packed_sequences").asInt();
    }
    assertTrue(packed > 0, "the fine-tune mixed packed short documents in");

    double[] lambda1 = PipelineTest.doubles(r.record(Stage.SEARCH_LONG).value("factors"));
    JsonNode rope = Json.readObject(r.exported().resolve("config.json")).get("rope_scaling");
    assertEquals("longrope", rope.get("rope_type").asText());
    double[] longFactor = PipelineTest.doubles(rope.get("long_factor"));
    double[] shortFactor = PipelineTest.doubles(rope.get("short_factor"));
    for (int i = 0; i < lambda1.length; i++) {
      assertEquals(lambda1[i], longFactor[i], 1e-12, "long_factor[" + i + "]");
      assertEquals(1.0, shortFactor[i], "short_factor[" + i + "]: the original RoPE");
    }
    assertEquals(16, rope.get("original_max_position_embeddings").asInt());
    assertEquals(8.0, rope.get("factor").asDouble());
  }

  @Test
  void theBundledPresetIsValid() {
    PipelineConfig c = PipelineConfig.read(Path.of("../configs/pipeline/bundled-longrope2.json"));
    assertEquals("critical_dim", c.searchLong().searchConfig().algorithm());
    assertEquals(null, c.searchRelative());
    assertEquals(null, c.searchShort());
    assertEquals(2048, c.export().maxPositionEmbeddings());
    assertTrue(c.trainConfig(dir, c.model(), null).mixed() != null);
  }
}
