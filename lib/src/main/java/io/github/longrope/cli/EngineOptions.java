package io.github.longrope.cli;

import io.github.longrope.model.Placement;
import io.github.longrope.model.Precision;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How the decoder runs, declared once: {@code --attention-chunk}, {@code --dtype}, {@code --device}
 * and {@code --threads}. Included by {@link ModelOptions} and by the commands whose {@code --model}
 * is optional ({@code search}, {@code bench forward}, {@code bench memory}, {@code bench batch}).
 */
public class EngineOptions {
  @Option(names = "--attention-chunk", paramLabel = "N")
  int attentionChunk = 512;

  @Option(names = "--dtype", paramLabel = "f32|f16")
  String dtype = "f32";

  @Option(names = "--device", paramLabel = "cpu|gpu[:N]")
  String device = "auto";

  @Mixin ThreadsOption threads;

  /** {@code --attention-chunk}, checked here so that a bad value names the flag. */
  int attentionChunk() {
    return Flags.positive("--attention-chunk", attentionChunk);
  }

  /** {@code --dtype} parsed. */
  Precision precision() {
    return Flags.named("--dtype", () -> Precision.parse(dtype));
  }

  /**
   * {@code --device} parsed and resolved (starts the engine: call after {@link #configureEngine});
   * a GPU without CUDA natives is an error naming the flag.
   */
  Placement placement() {
    return Flags.named("--device", () -> Placement.parse(device).resolve());
  }

  /**
   * {@code --device} parsed, not resolved, with {@code auto} meaning {@code whenAuto} (the
   * benchmarks, which measure the CPU unless told otherwise).
   */
  Placement placementOr(Placement whenAuto) {
    Placement p = Flags.named("--device", () -> Placement.parse(device));
    return p.equals(Placement.AUTO) ? whenAuto : p;
  }

  /** Applies engine settings; must run before the first native operation. */
  void configureEngine() {
    threads.apply();
  }
}
