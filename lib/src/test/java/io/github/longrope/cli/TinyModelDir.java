package io.github.longrope.cli;

import io.github.longrope.io.HfModel;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.rope.NoScaling;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files the CLI tests run against: a tiny Hugging Face model directory (config.json, f32
 * safetensors, the small test tokenizer) and a plain-text book, written once here instead of in
 * every command's test.
 */
final class TinyModelDir {
  private TinyModelDir() {}

  /** The repeated sentence of {@link #book}: every word is in the test tokenizer. */
  static final String SENTENCE = "The grass is green . The sky is blue . Here we go . ";

  /** {@code dir/model}: the seed-1 tiny llama with original length 16, unscaled. */
  static Path write(Path dir) throws IOException {
    return write(dir.resolve("model"), TinyModelsAccess.llama(new NoScaling(), 16), 1);
  }

  /** A model directory at {@code model} holding {@code c} with weights of {@code seed}. */
  static Path write(Path model, ModelConfig c, long seed) throws IOException {
    Files.createDirectories(model);
    HfModel.write(model, c, TinyModelsAccess.weights(c, seed), SafetensorsFile.Dtype.F32);
    try {
      Files.copy(
          Path.of(TinyModelDir.class.getResource("/tokenizer/tokenizer.json").toURI()),
          model.resolve("tokenizer.json"));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return model;
  }

  /** {@code dir/book.txt}: {@link #SENTENCE} {@code repeats} times. */
  static Path book(Path dir, int repeats) throws IOException {
    return Files.writeString(dir.resolve("book.txt"), SENTENCE.repeat(repeats));
  }

  /**
   * {@code file}: three documents of 160 random token ids of the tiny model's vocabulary, as a JSON
   * token file; document d uses seed {@code seed + d}.
   */
  static Path documents(Path file, long seed) throws IOException {
    ModelConfig c = TinyModelsAccess.llama(new NoScaling(), 16);
    StringBuilder sb = new StringBuilder("[");
    for (int d = 0; d < 3; d++) {
      sb.append(d == 0 ? "" : ",")
          .append(java.util.Arrays.toString(TinyModelsAccess.ids(c, 160, seed + d)));
    }
    Files.writeString(file, sb.append("]").toString());
    return file;
  }

  /**
   * {@code longrope search} on a tiny problem (L′ 64, 2 documents, JSON output) into {@code run},
   * then {@code more}.
   */
  static java.util.List<String> searchArgs(
      Path model, Path data, Path config, Path run, String... more) {
    java.util.List<String> a =
        new java.util.ArrayList<>(
            java.util.List.of(
                "search",
                "--model",
                model.toString(),
                "--data",
                data.toString(),
                "--target-length",
                "64",
                "--config",
                config.toString(),
                "--samples",
                "2",
                "--run",
                run.toString(),
                "--json"));
    a.addAll(java.util.List.of(more));
    return a;
  }
}
