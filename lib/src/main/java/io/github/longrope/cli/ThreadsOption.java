package io.github.longrope.cli;

import io.github.longrope.model.EngineThreads;
import picocli.CommandLine.Option;

/**
 * {@code --threads}, declared once for every command that runs libtorch. DJL reads the count when
 * the engine starts, so {@link #apply()} must run before the first native operation.
 */
public final class ThreadsOption {
  @Option(names = "--threads", paramLabel = "N")
  Integer threads;

  /** Sets the engine's threads when the flag was given (else libtorch takes all cores). */
  void apply() {
    if (threads != null) {
      set(threads);
    }
  }

  /**
   * The flag's count or all cores: benchmarks give the number to both sides (libtorch and the
   * PyTorch reference), so it must be explicit.
   */
  int orAllCores() {
    return threads != null ? threads : Runtime.getRuntime().availableProcessors();
  }

  /** libtorch intra-op threads (one inter-op thread), checked as the flag. */
  static void set(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }
    EngineThreads.set(threads);
  }
}
