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
  @Option(
      names = "--hf-config",
      paramLabel = "FILE",
      description =
          "HF config.json: geometry from head_dim (or hidden_size/num_attention_heads),"
              + " partial_rotary_factor, rope_theta; the original length L; rope: the scaling from"
              + " rope_scaling/rope_parameters.")
  Path hfConfig;

  @Option(names = "--head-dim", paramLabel = "D", description = "Head dimension (default 128).")
  Integer headDim;

  @Option(
      names = "--partial-rotary-factor",
      paramLabel = "F",
      description = "Fraction of the head dimension that rotates (default 1).")
  Double partialRotaryFactor;

  @Option(names = "--base", paramLabel = "B", description = "RoPE base rope_theta (default 10000).")
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
