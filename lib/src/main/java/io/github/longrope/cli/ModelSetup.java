package io.github.longrope.cli;

import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.rope.RopeScaling;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A model directory's config with the RoPE flags applied (they override the checkpoint's {@code
 * rope_scaling}, checked against the model), as the commands that run a model need it.
 */
record ModelSetup(ModelConfig config, RopeScaling scaling, List<String> warnings) {
  static ModelSetup resolve(ModelOptions model, RopeOptions rope) {
    List<String> warnings = new ArrayList<>();
    HfModelConfig.Loaded loaded = HfModelConfig.read(model.model);
    warnings.addAll(loaded.warnings());
    ModelConfig config = loaded.config();
    RopeScaling scaling =
        rope.given()
            ? rope.resolve(config.rope().pairs(), config.originalLength(), warnings)
            : config.ropeScaling();
    config = config.withRope(scaling);
    return new ModelSetup(config, scaling, List.copyOf(warnings));
  }

  /** The same with another scaling (validated against the model again). */
  ModelSetup withScaling(RopeScaling s, String warning) {
    List<String> w = new ArrayList<>(warnings);
    if (warning != null) {
      w.add(warning);
    }
    return new ModelSetup(config.withRope(s), s, w);
  }

  /** L of the active scaling. */
  int originalLength() {
    return scaling.originalLengthOr(config.originalLength());
  }

  Decoder load(ModelOptions model) {
    return HfModel.load(model.model, config).withAttentionChunk(model.attentionChunk);
  }

  void printWarnings(PrintWriter err) {
    warnings.forEach(w -> err.println("warning: " + w));
    err.flush();
  }
}
