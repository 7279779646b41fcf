package io.github.longrope.cli;

import io.github.longrope.model.EngineThreads;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of every command that runs a model, declared once. */
public final class ModelOptions {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description =
          "HF model directory: config.json, model.safetensors (or shards + index), tokenizer.json.")
  Path model;

  @Option(
      names = "--attention-chunk",
      paramLabel = "N",
      description = "Query rows per attention chunk; memory ∝ heads × N × length (default 512).")
  int attentionChunk = 512;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Intra-op threads for libtorch (default: all cores).")
  Integer threads;

  /** Applies engine settings; must run before the first native operation. */
  void configureEngine() {
    if (threads != null) {
      setThreads(threads);
    }
  }

  /**
   * libtorch intra-op threads (one inter-op thread). DJL reads these when the engine starts, so
   * this must run before the first native operation.
   */
  static void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
    EngineThreads.set(threads);
  }
}
