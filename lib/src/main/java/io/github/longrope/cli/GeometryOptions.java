package io.github.longrope.cli;

import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.rope.RopeGeometry;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * A head's RoPE geometry, declared once for {@code rope} and {@code seed}: from an HF {@code
 * config.json} ({@code --hf-config}) or from {@code --head-dim}, {@code --partial-rotary-factor}
 * and {@code --base}, never both (a flag beside the file would be silently ignored).
 */
final class GeometryOptions {
  @Option(names = "--hf-config", paramLabel = "FILE")
  Path hfConfig;

  @Option(names = "--head-dim", paramLabel = "D")
  Integer headDim;

  @Option(names = "--partial-rotary-factor", paramLabel = "F")
  Double partialRotaryFactor;

  @Option(names = "--base", paramLabel = "B")
  Double base;

  /** The {@code --hf-config} file read, or null without it. */
  HfRopeConfig.Loaded config() {
    if (hfConfig == null) {
      return null;
    }
    if (headDim != null || base != null || partialRotaryFactor != null) {
      throw new IllegalArgumentException(
          "--head-dim/--base/--partial-rotary-factor cannot be combined with --hf-config");
    }
    return HfRopeConfig.read(hfConfig);
  }

  /** The geometry of {@code config} (the file read), or of the flags and their defaults. */
  RopeGeometry geometry(HfRopeConfig.Loaded config) {
    if (config != null) {
      return config.geometry();
    }
    return RopeGeometry.of(
        headDim == null ? 128 : headDim,
        partialRotaryFactor == null ? 1.0 : partialRotaryFactor,
        base == null ? 10000 : base);
  }
}
