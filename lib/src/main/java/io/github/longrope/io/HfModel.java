package io.github.longrope.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.WeightSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
    return load(dir, config, null);
  }

  /**
   * {@link #load(Path, ModelConfig)} onto {@code device}: {@code cpu} or {@code gpu:N} (null: the
   * engine's default).
   */
  public static Decoder load(Path dir, ModelConfig config, String device) {
    try (Checkpoint checkpoint = Checkpoint.open(dir)) {
      return Decoder.load(config, checkpoint, device);
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
    ObjectNode json = HfModelConfig.toJson(config);
    // what the weights are stored in (HF reads it as the default load dtype)
    json.put("torch_dtype", dtype == SafetensorsFile.Dtype.F16 ? "float16" : "float32");
    AtomicFiles.writeString(dir.resolve("config.json"), Json.write(json));
  }

  /** Files next to the weights that an exported directory carries over unchanged. */
  static final List<String> COMPANIONS =
      List.of(
          "tokenizer.json",
          "tokenizer_config.json",
          "special_tokens_map.json",
          "generation_config.json",
          "README.md");

  /**
   * Writes {@code source}'s weights in {@code dtype} with {@code config} (typically the source's
   * config with a new {@code rope_scaling} and {@code max_position_embeddings}) to {@code out},
   * carrying the tokenizer and generation files over: the last stage of the LongRoPE pipeline, and
   * how the bundled model is stored in half precision. The weights are streamed tensor by tensor
   * from the checkpoint, never loaded into a decoder.
   */
  public static void export(
      Path source, Path out, ModelConfig config, SafetensorsFile.Dtype dtype) {
    try (Checkpoint checkpoint = Checkpoint.open(source)) {
      DirectoryOutput.write(
          out,
          source,
          dir -> {
            write(dir, config, checkpoint, dtype);
            for (String name : COMPANIONS) {
              Path f = source.resolve(name);
              if (Files.isRegularFile(f)) {
                AtomicFiles.write(dir.resolve(name), Files.readAllBytes(f));
              }
            }
          });
    }
  }

  /** Reads the config and loads the weights. */
  public static Decoder load(Path dir) {
    return load(dir, HfModelConfig.read(dir).config());
  }
}
