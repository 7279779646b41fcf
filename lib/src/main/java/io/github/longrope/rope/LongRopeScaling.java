package io.github.longrope.rope;

import java.util.Objects;
import java.util.Optional;

/**
 * LongRoPE: searched per-dimension factors λᵢ (one vector, or one per layer), start tokens n̂ and
 * an attention-scale policy; optionally the HF {@code longrope} short/long pair or the dynamic
 * variant.
 *
 * <ul>
 *   <li><b>Static</b> (official {@code LongRoPEScaledRotaryEmbedding}): θ′ᵢ = θᵢ/λᵢ at every
 *       length.
 *   <li><b>Short/long pair</b> ({@code shortFactors} present; HF {@code longrope}, Phi-3): short
 *       factors while the total length is ≤ L, long factors above (4096 → short, 4097 → long for L
 *       = 4096). The attention scale is the same for both regimes unless {@code shortMagnitude}
 *       overrides it (vLLM's {@code short_mscale}).
 *   <li><b>Dynamic</b>: for current length n, λ′ᵢ = 1 + (λᵢ − 1)·k with k = (n/L − 1)/(s − 1)
 *       clamped to [0, 1] (upstream does not clamp; below L it would extrapolate).
 * </ul>
 *
 * <p>The attention scale is computed once from the configured s = L′/L, never from the current
 * length. Positions below n̂ use the original, unscaled table with no attention scale (see {@link
 * RopeFrequencies}).
 *
 * @param factors λ (the long set of a pair)
 * @param shortFactors the short set of a pair, or {@code null} for a single set
 * @param originalLength L
 * @param scale s = L′/L (HF {@code factor}); drives the attention scale and the dynamic variant
 * @param startTokens n̂ ≥ 0
 * @param magnitude attention-scale policy (for the long regime of a pair)
 * @param shortMagnitude policy for the short regime, or {@code null} for the same as {@code
 *     magnitude}
 * @param dynamic interpolate λ by current length (not allowed together with a pair)
 */
public record LongRopeScaling(
    FactorTable factors,
    FactorTable shortFactors,
    int originalLength,
    double scale,
    int startTokens,
    MagnitudeScaling magnitude,
    MagnitudeScaling shortMagnitude,
    boolean dynamic)
    implements RopeScaling.Anchored {

  public LongRopeScaling {
    Objects.requireNonNull(factors, "factors");
    Objects.requireNonNull(magnitude, "magnitude");
    Checks.positive(originalLength, "original length");
    Checks.positiveFinite(scale, "LongRoPE scale s = L'/L");
    Checks.require(startTokens >= 0, "start tokens n̂ must be >= 0, got %d", startTokens);
    if (shortFactors != null) {
      Checks.require(
          shortFactors.width() == factors.width(),
          "short factors have %d values per row but long factors have %d",
          shortFactors.width(),
          factors.width());
      Checks.require(
          shortFactors.isShared()
              || factors.isShared()
              || shortFactors.layers() == factors.layers(),
          "short factors have %d layers but long factors have %d",
          shortFactors.layers(),
          factors.layers());
      Checks.require(
          !dynamic,
          "dynamic LongRoPE interpolates one factor set by length; a short/long pair switches"
              + " instead: choose one");
    }
  }

  /** Static LongRoPE with one factor set, the {@code su} policy and no start tokens. */
  public static LongRopeScaling of(FactorTable factors, int originalLength, double scale) {
    return new LongRopeScaling(
        factors, null, originalLength, scale, 0, new MagnitudeScaling.Su(), null, false);
  }

  public LongRopeScaling withShortFactors(FactorTable shortSet) {
    return new LongRopeScaling(
        factors, shortSet, originalLength, scale, startTokens, magnitude, shortMagnitude, dynamic);
  }

  public LongRopeScaling withStartTokens(int n) {
    return new LongRopeScaling(
        factors, shortFactors, originalLength, scale, n, magnitude, shortMagnitude, dynamic);
  }

  public LongRopeScaling withMagnitude(MagnitudeScaling policy) {
    return new LongRopeScaling(
        factors, shortFactors, originalLength, scale, startTokens, policy, shortMagnitude, dynamic);
  }

  public LongRopeScaling withShortMagnitude(MagnitudeScaling policy) {
    return new LongRopeScaling(
        factors, shortFactors, originalLength, scale, startTokens, magnitude, policy, dynamic);
  }

  public LongRopeScaling withDynamic(boolean on) {
    return new LongRopeScaling(
        factors, shortFactors, originalLength, scale, startTokens, magnitude, shortMagnitude, on);
  }

  /** L′ = round(s·L). */
  public int targetLength() {
    return (int) Math.round(scale * originalLength);
  }

  @Override
  public String typeName() {
    return "longrope";
  }

  @Override
  public Optional<Regime> regime(int seqLength) {
    return shortFactors == null
        ? Optional.empty()
        : Optional.of(Regime.of(seqLength, originalLength));
  }

  @Override
  public int layers() {
    return Math.max(factors.layers(), shortFactors == null ? 1 : shortFactors.layers());
  }

  /** The λ in effect at this length and layer (short/long choice, dynamic interpolation). */
  public double[] activeFactors(int seqLength, int layer) {
    if (regime(seqLength).orElse(Regime.LONG) == Regime.SHORT) {
      return shortFactors.row(layer);
    }
    double[] lambda = factors.row(layer);
    if (dynamic) {
      double k = scale <= 1 ? 1 : ((double) seqLength / originalLength - 1) / (scale - 1);
      k = Math.min(1, Math.max(0, k));
      for (int i = 0; i < lambda.length; i++) {
        lambda[i] = 1 + (lambda[i] - 1) * k;
      }
    }
    return lambda;
  }

  @Override
  public double[] inverseFrequencies(RopeGeometry geometry, int seqLength, int layer) {
    return RopeScaling.divide(geometry, activeFactors(seqLength, layer));
  }

  @Override
  public double attentionScale(int seqLength) {
    boolean shortRegime = regime(seqLength).orElse(Regime.LONG) == Regime.SHORT;
    MagnitudeScaling policy = shortRegime && shortMagnitude != null ? shortMagnitude : magnitude;
    return policy.scale(scale, originalLength);
  }
}
