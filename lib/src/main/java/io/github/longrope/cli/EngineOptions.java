package io.github.longrope.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How the decoder runs, declared once: {@code --attention-chunk} and {@code --threads}. Included by
 * {@link ModelOptions} and by the commands whose {@code --model} is optional ({@code search},
 * {@code bench forward}).
 */
public class EngineOptions {
  @Option(
      names = "--attention-chunk",
      paramLabel = "N",
      description = "Query rows per attention chunk; memory ∝ heads × N × length (default 512).")
  int attentionChunk = 512;

  @Mixin ThreadsOption threads;

  /** Applies engine settings; must run before the first native operation. */
  void configureEngine() {
    threads.apply();
  }
}
