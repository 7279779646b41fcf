package io.github.longrope.pipeline;

import io.github.longrope.data.InMemoryDocuments;
import io.github.longrope.data.TokenFile;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.Json;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.rope.NoScaling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tiny pipeline fixture: a random tiny model with L = 16 (head dim 8, so 4 factors), token
 * files of random ids, and {@code /pipeline/tiny.json} (8× = 128, 64× = 1024; a few candidates per
 * search, 3 fine-tuning steps).
 */
public final class TinyPipeline {
  private TinyPipeline() {}

  /** The base model's config. */
  public static final ModelConfig BASE = TinyModelsAccess.llama(new NoScaling(), 16);

  /** Writes the model and data into {@code dir}. */
  public static void writeModelAndData(Path dir) throws Exception {
    Path model = Files.createDirectories(dir.resolve("model"));
    HfModel.write(model, BASE, TinyModelsAccess.weights(BASE, 1), SafetensorsFile.Dtype.F32);
    Files.copy(
        Path.of(TinyPipeline.class.getResource("/tokenizer/tokenizer.json").toURI()),
        model.resolve("tokenizer.json"));
    tokens(dir, "search", 3, 1200, 10);
    tokens(dir, "train", 3, 400, 20);
    tokens(dir, "valid", 1, 200, 30);
    tokens(dir, "eval", 1, 1100, 40);
  }

  private static void tokens(Path dir, String name, int docs, int length, long seed) {
    List<int[]> d = new ArrayList<>();
    for (int i = 0; i < docs; i++) {
      d.add(TinyModelsAccess.ids(BASE, length, seed + i));
    }
    TokenFile.write(dir.resolve(name), new InMemoryDocuments(d));
  }

  /** The text of {@code /pipeline/tiny.json} (paths relative to the fixture folder). */
  public static String text() throws Exception {
    return Files.readString(Path.of(TinyPipeline.class.getResource("/pipeline/tiny.json").toURI()));
  }

  /** The config with its paths resolved against {@code dir}. */
  public static PipelineConfig config(Path dir) throws Exception {
    return PipelineConfig.parse(text(), "tiny.json", dir);
  }

  /** Writes the resolved config (absolute paths) to {@code dir/tiny.json}, for the CLI. */
  public static Path configFile(Path dir) throws Exception {
    Path f = dir.resolve("tiny.json");
    Files.writeString(f, Json.write(config(dir).toJson()));
    return f;
  }
}
