package io.github.longrope.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Path;

/**
 * Stage 5: the deliverable, an HF directory any {@code longrope}-aware loader runs: the fine-tuned
 * weights, {@code rope_scaling} = {rope_type longrope, short_factor (stage 4), long_factor = λ2 ⊙
 * λ1 (stage 3), factor s, original_max_position_embeddings L}, L at the top level too, {@code
 * max_position_embeddings} = the extended context, tokenizer files carried over (the layout both
 * transformers v4 and v5 read alike: {@link HfRopeConfig#forConfig}). The written config is read
 * back and compared, so a spelling the loader would read differently fails here rather than in
 * someone's deployment. Without stage 4 (LongRoPE2), the long factors are stage 1's and the short
 * set is all ones: the original RoPE up to L.
 */
final class ExportStage {
  private ExportStage() {}

  static ObjectNode run(
      PipelineConfig config,
      StageRecord searchLong,
      StageRecord finetune,
      StageRecord searchShort,
      Path run,
      Path dir) {
    Path source = finetune.path(run, "model");
    ModelConfig c = HfModelConfig.read(source).config();
    RopeScaling rope;
    if (config.searchShort() != null) {
      ObjectNode ropeJson = searchShort.value("rope_scaling").deepCopy();
      rope = HfRopeConfig.parseScaling(ropeJson, c.rope().pairs(), "stage 4");
    } else {
      ObjectNode ropeJson = searchLong.value("rope_scaling").deepCopy();
      LongRopeScaling l =
          (LongRopeScaling) HfRopeConfig.parseScaling(ropeJson, c.rope().pairs(), "stage 1");
      // LongRoPE2: stage 1's long factors, the original RoPE (all ones) up to L; or stage 1's
      // record as it is (export.short_factors = search)
      rope =
          config.export().searchedShortFactors()
              ? l
              : l.withShortFactors(FactorTable.ones(c.rope().pairs()));
    }
    int maxPosition = config.export().maxPositionEmbeddings();
    ModelConfig extended = c.withRope(rope).toBuilder().maxPositionEmbeddings(maxPosition).build();
    Path out = config.export().model(run, dir);
    SafetensorsFile.Dtype dtype =
        config.export().dtype().equals("f16")
            ? SafetensorsFile.Dtype.F16
            : SafetensorsFile.Dtype.F32;
    HfModel.export(source, out, extended, dtype);
    ModelConfig back = HfModelConfig.read(out).config();
    if (!back.ropeScaling().equals(rope) || back.maxPositionEmbeddings() != maxPosition) {
      throw new IllegalStateException(
          "the exported config.json reads back differently: " + back.ropeScaling());
    }
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("model", Pipeline.relative(run, out));
    o.put("dtype", config.export().dtype());
    o.put("max_position_embeddings", maxPosition);
    o.set("rope_scaling", HfRopeConfig.toJson(rope));
    return o;
  }
}
