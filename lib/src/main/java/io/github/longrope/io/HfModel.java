package io.github.longrope.io;

import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.WeightSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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

  /**
   * Writes a model directory: {@code config.json} and {@code model.safetensors} with every tensor
   * of {@code weights} (HF names, in F32 or F16), both atomically. Used for the bundled model and
   * for exported checkpoints.
   */
  public static void write(
      Path dir, ModelConfig config, WeightSource weights, SafetensorsFile.Dtype dtype) {
    Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
    for (String name : weights.names()) {
      tensors.put(name, new SafetensorsWriter.Tensor(weights.shape(name), weights.floats(name)));
    }
    SafetensorsWriter.write(
        dir.resolve(Checkpoint.SINGLE_FILE), tensors, Map.of("format", "pt"), dtype);
    AtomicFiles.writeString(dir.resolve("config.json"), Json.write(HfModelConfig.toJson(config)));
  }

  /** Reads the config and loads the weights. */
  public static Decoder load(Path dir) {
    return load(dir, HfModelConfig.read(dir).config());
  }
}
