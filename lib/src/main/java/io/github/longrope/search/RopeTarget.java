package io.github.longrope.search;

import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.MagnitudeScaling;
import java.util.Objects;

/**
 * How a searched candidate becomes the model's RoPE, for each pipeline stage (docs/method.md,
 * "Progressive extension"):
 *
 * <ul>
 *   <li>{@link Mode#LONG} (stage 1): λ are the LongRoPE factors of a static {@link
 *       LongRopeScaling}.
 *   <li>{@link Mode#RELATIVE} (stage 3, second search on a fine-tuned model): λ2 is searched
 *       relative to the fine-tuned factors λ1; the model runs with λ2 ⊙ λ1, which is also what is
 *       saved (T10).
 *   <li>{@link Mode#SHORT} (stage 4, short-context recovery): λ are the short factors of an HF
 *       {@code longrope} pair whose long factors stay fixed; evaluated at a length ≤ L, where the
 *       short set is active.
 * </ul>
 *
 * <p>In every mode the attention scale comes from the candidate's s = L′/L relative to the ORIGINAL
 * length L (never the fine-tuned one), through {@code magnitude}.
 *
 * @param base λ1 (RELATIVE) or the fixed long factors (SHORT); null for LONG
 * @param shortMagnitude SHORT only: a short-regime attention policy (null: as {@code magnitude})
 */
public record RopeTarget(
    Mode mode,
    int originalLength,
    double scale,
    MagnitudeScaling magnitude,
    FactorTable base,
    MagnitudeScaling shortMagnitude) {

  /** What the candidate's factors are. */
  public enum Mode {
    LONG,
    RELATIVE,
    SHORT
  }

  public RopeTarget {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(magnitude, "magnitude");
    if (originalLength < 1) {
      throw new IllegalArgumentException("original length must be >= 1, got " + originalLength);
    }
    if (!(Double.isFinite(scale) && scale > 0)) {
      throw new IllegalArgumentException("scale must be > 0, got " + scale);
    }
    if ((mode == Mode.LONG) != (base == null)) {
      throw new IllegalArgumentException(
          mode == Mode.LONG
              ? "the long-factor search has no base factors"
              : mode + " search needs base factors");
    }
  }

  /** Stage 1: λ searched directly, RoPE scale s = L′/L. */
  public static RopeTarget longFactors(int originalLength, double scale, MagnitudeScaling m) {
    return new RopeTarget(Mode.LONG, originalLength, scale, m, null, null);
  }

  /** Stage 3: λ2 relative to the fine-tuned λ1; s = L′/L with L the original length. */
  public static RopeTarget relative(
      FactorTable fineTuned, int originalLength, double scale, MagnitudeScaling m) {
    return new RopeTarget(Mode.RELATIVE, originalLength, scale, m, fineTuned, null);
  }

  /** Stage 4: short factors under fixed long factors (s of the long set). */
  public static RopeTarget shortFactors(
      FactorTable longFactors,
      int originalLength,
      double scale,
      MagnitudeScaling m,
      MagnitudeScaling shortMagnitude) {
    return new RopeTarget(Mode.SHORT, originalLength, scale, m, longFactors, shortMagnitude);
  }

  /** The RoPE the model runs for a candidate. */
  public LongRopeScaling scaling(Candidate c) {
    FactorTable lambda = FactorTable.of(c.factors());
    switch (mode) {
      case LONG:
        return new LongRopeScaling(
            lambda, null, originalLength, c.scale(), c.startTokens(), magnitude, null, false);
      case RELATIVE:
        return new LongRopeScaling(
            base.times(lambda),
            null,
            originalLength,
            c.scale(),
            c.startTokens(),
            magnitude,
            null,
            false);
      case SHORT:
        return new LongRopeScaling(
            base,
            lambda,
            originalLength,
            c.scale(),
            c.startTokens(),
            magnitude,
            shortMagnitude,
            false);
      default:
        throw new IllegalStateException(mode.toString());
    }
  }

  /** The factors to save: λ, λ2 ⊙ λ1, or the short set. */
  public FactorTable effective(Candidate c) {
    FactorTable lambda = FactorTable.of(c.factors());
    return mode == Mode.RELATIVE ? base.times(lambda) : lambda;
  }
}
