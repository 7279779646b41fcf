package io.github.longrope.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.Json;
import io.github.longrope.train.TrainConfig;
import io.github.longrope.train.Trainer;
import java.nio.file.Path;

/**
 * Stage 2: fine-tunes the base model at stage 1's length under stage 1's factors (docs/method.md,
 * "Progressive extension": the model learns to use λ1 before the second search extends it further).
 * The stage folder is the trainer's output folder, so an interrupted stage resumes from the newest
 * checkpoint and continues exactly as an uninterrupted run; {@code final/} is the fine-tuned HF
 * directory.
 */
final class FinetuneStage {
  private FinetuneStage() {}

  static ObjectNode run(
      PipelineConfig config, StageRecord searchLong, Path run, Path dir, Pipeline.Listener l) {
    TrainConfig train =
        config.trainConfig(dir, config.model(), searchLong.value("rope_scaling").deepCopy());
    Trainer.Result r = Trainer.run(train, l.training());
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("model", Pipeline.relative(run, r.finalModel()));
    out.put("context", train.context());
    out.put("steps", r.steps());
    out.put("resumed_from", r.resumedFrom());
    out.put("train_loss", r.trainLoss());
    out.put("validation_loss", r.validationLoss());
    out.put("tokens_per_second", r.tokensPerSecond());
    return out;
  }
}
