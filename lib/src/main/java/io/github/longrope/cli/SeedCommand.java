package io.github.longrope.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.longrope.io.FactorFile;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.rope.CriticalDimension;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.rope.RopeNames;
import io.github.longrope.rope.YarnScaling;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code longrope seed}: a known scaling written as LongRoPE factors λ, the initial individuals of
 * the evolution search (docs/method.md, "Initial population"): {@code pi}, {@code ntk}, {@code
 * yarn} (the official search's seed, λ = 1 + (s − 1)·ramp) and {@code yarn-exact} (λ = 1/(1 − r +
 * r/s)).
 */
@Command(name = "seed", mixinStandardHelpOptions = true)
public final class SeedCommand implements Callable<Integer> {
  @Mixin JsonOption json;

  @Option(names = "--kind", required = true, paramLabel = "KIND")
  String kind;

  @Mixin GeometryOptions head;

  @Option(names = "--factor", required = true, paramLabel = "S")
  double factor;

  @Option(names = "--original-length", paramLabel = "L")
  Integer originalLength;

  @Option(names = "--beta-fast", paramLabel = "B")
  double betaFast = YarnScaling.DEFAULT_BETA_FAST;

  @Option(names = "--beta-slow", paramLabel = "B")
  double betaSlow = YarnScaling.DEFAULT_BETA_SLOW;

  @Option(names = "--write", paramLabel = "FILE")
  Path write;

  /**
   * The seed; {@code factors} is its one row. With a known L, also LongRoPE2's critical dimension
   * (the pairs a critical-dim search chooses its critical pair from).
   */
  record Report(
      String kind,
      @JsonProperty("rotary_dim") int rotaryDim,
      double factor,
      double[] factors,
      @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("critical_dimension")
          CriticalReport critical) {}

  /** Computes the seed (names resolved by {@link RopeNames#seed}). */
  public static FactorTable run(
      String kind, RopeGeometry g, double s, Integer original, double betaFast, double betaSlow) {
    if (original == null && RopeNames.seedNeedsOriginalLength(kind)) {
      throw new IllegalArgumentException("--kind " + kind + " needs --original-length L");
    }
    return Flags.named(
        "--kind",
        () -> RopeNames.seed(kind, g, s, original == null ? 0 : original, betaFast, betaSlow));
  }

  @Override
  public Integer call() {
    HfRopeConfig.Loaded cfg = head.config();
    RopeGeometry g = head.geometry(cfg);
    Integer original = originalLength;
    if (cfg != null) {
      json.warn(cfg.warnings());
      if (original == null && cfg.originalLength() > 0) {
        original = cfg.originalLength();
      }
    }
    FactorTable seed = run(kind, g, factor, original, betaFast, betaSlow);
    if (write != null) {
      FactorFile.write(write, seed);
    }
    CriticalReport c =
        original == null ? null : CriticalReport.of(new CriticalDimension(g, original), false);
    Report r = new Report(kind, g.rotaryDim(), factor, seed.row(0), c);
    return json.report(
        r,
        () ->
            (c == null ? "" : "# " + c.line() + System.lineSeparator()) + FactorFile.format(seed));
  }
}
