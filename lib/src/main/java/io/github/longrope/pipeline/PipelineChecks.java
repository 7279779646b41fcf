package io.github.longrope.pipeline;

import io.github.longrope.io.HfModelConfig;
import io.github.longrope.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a config means for its model and files, checked before any work starts: a wrong length or a
 * missing split should fail in a second, not after an hour of stage 1. Errors name the key.
 */
final class PipelineChecks {
  private PipelineChecks() {}

  static void check(PipelineConfig c) {
    Path model = Path.of(c.model());
    if (!Files.isRegularFile(model.resolve("config.json"))) {
      PipelineConfig.require(false, "model", "not a model directory (no config.json): " + model);
    }
    ModelConfig m = HfModelConfig.read(model).config();
    int original = m.originalLength();
    PipelineConfig.require(
        c.searchLong().targetLength() > original,
        "search_long.target_length",
        "must exceed the model's original length L = "
            + original
            + ", got "
            + c.searchLong().targetLength());
    if (c.searchShort() != null) {
      PipelineConfig.require(
          c.searchShort().targetLength() <= original,
          "search_short.target_length",
          "must be at most the original length L = "
              + original
              + " (HF uses the short factors up to L, the long ones above), got "
              + c.searchShort().targetLength());
    }
    exists("data.search", c.data().search());
    for (int i = 0; i < c.data().trainFiles().size(); i++) {
      exists("data.train[" + i + "]", c.data().trainFiles().get(i));
    }
    exists("data.validation", c.data().validation());
    exists("data.passkey", c.data().passkey());
    exists("data.eval", c.data().eval());
    exists("search_long.data", c.searchLong().data());
    exists("search_relative.data", c.searchRelative() == null ? null : c.searchRelative().data());
    exists("search_short.data", c.searchShort() == null ? null : c.searchShort().data());
    exists("evaluate.data", c.evaluate().data());
  }

  /** A file, a folder, or a token file's prefix ({@code …/search} for {@code search.bin}). */
  private static void exists(String key, String path) {
    if (path != null) {
      Path p = Path.of(path);
      PipelineConfig.require(
          Files.exists(p) || Files.exists(p.resolveSibling(p.getFileName() + ".idx")),
          key,
          "no such file: " + path);
    }
  }
}
