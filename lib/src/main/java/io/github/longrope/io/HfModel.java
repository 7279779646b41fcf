package io.github.longrope.io;

import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import java.nio.file.Path;

/**
 * A Hugging Face model directory: {@code config.json} (+ {@code generation_config.json}), {@code
 * model.safetensors} or sharded safetensors with an index, and {@code tokenizer.json}.
 */
public final class HfModel {
  private HfModel() {}

  /**
   * Loads the weights of {@code dir} into a decoder for {@code config} (checked tensor by tensor).
   */
  public static Decoder load(Path dir, ModelConfig config) {
    try (Checkpoint checkpoint = Checkpoint.open(dir)) {
      return Decoder.load(config, checkpoint);
    } catch (FormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new FormatException(dir.toString(), "", e.getMessage(), e);
    }
  }

  /** Reads the config and loads the weights. */
  public static Decoder load(Path dir) {
    return load(dir, HfModelConfig.read(dir).config());
  }
}
