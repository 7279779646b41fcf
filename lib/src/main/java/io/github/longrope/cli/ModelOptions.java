package io.github.longrope.cli;

import io.github.longrope.eval.ModelUnderTest;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Options of every command that evaluates a model directory, declared once: {@code --model}, the
 * RoPE flags that override its {@code rope_scaling} (an argument group; {@code boundary} needs a
 * longrope pair there) and the engine's.
 */
public final class ModelOptions extends EngineOptions {
  @Option(names = "--model", required = true, paramLabel = "DIR")
  Path model;

  @ArgGroup(
      validate = false,
      heading = "%nRoPE scaling (overrides the checkpoint's rope_scaling):%n")
  RopeOptions rope = new RopeOptions();

  /**
   * The model's config with the RoPE flags applied: given flags override the checkpoint's {@code
   * rope_scaling} (checked against the model); without them the checkpoint's own is used. Applies
   * the engine settings first, so call it before any native operation.
   */
  ModelUnderTest resolve() {
    configureEngine();
    return ModelUnderTest.read(
            model,
            attentionChunk(),
            rope.given()
                ? (c, warnings) -> rope.resolve(c.rope().pairs(), c.originalLength(), warnings)
                : null)
        .on(precision(), placement());
  }
}
