package io.github.longrope.rope;

/**
 * YaRN, "NTK-by-parts" plus temperature (HF {@code yarn}, identical to jquesnelle/yarn).
 *
 * <p>Pairs whose wavelength fits many times into L are extrapolated (λ = 1), those that do not
 * complete a rotation are interpolated (λ = s), with a linear ramp over pair index between the
 * correction dims {@code corr(r) = d·ln(L/(2πr)) / (2·ln b)} for r = β_fast and β_slow. YaRN blends
 * the <em>inverse frequencies</em> linearly: θ′ᵢ = θᵢ·(1 − rᵢ + rᵢ/s), i.e. λᵢ = 1/(1 − rᵢ + rᵢ/s).
 * (LongRoPE's YaRN-derived search seed blends λ linearly instead; see {@link FactorSeeds}.)
 *
 * <p>Attention scale: {@code attentionFactor} if given; else, when {@code mscale} and {@code
 * mscaleAllDim} are both given and non-zero, get(s, mscale)/get(s, mscaleAllDim) (DeepSeek); else
 * get(s) = 0.1·ln s + 1 (1 for s ≤ 1). Absent optional values are {@code NaN}.
 *
 * @param truncate floor/ceil the correction range (HF default true; v5 allows false)
 */
public record YarnScaling(
    double factor,
    int originalLength,
    double betaFast,
    double betaSlow,
    boolean truncate,
    double attentionFactor,
    double mscale,
    double mscaleAllDim)
    implements RopeScaling.Anchored {

  public static final double DEFAULT_BETA_FAST = 32;
  public static final double DEFAULT_BETA_SLOW = 1;

  public YarnScaling {
    Checks.atLeastOne(factor, "YaRN factor");
    Checks.positive(originalLength, "original length");
    Checks.positiveFinite(betaFast, "beta_fast");
    Checks.positiveFinite(betaSlow, "beta_slow");
    Checks.require(
        betaFast >= betaSlow, "beta_fast (%s) must be >= beta_slow (%s)", betaFast, betaSlow);
    Checks.require(
        Double.isNaN(attentionFactor) || attentionFactor > 0 && Double.isFinite(attentionFactor),
        "YaRN attention_factor must be a finite number > 0, got %s",
        attentionFactor);
    Checks.require(Double.isNaN(mscale) || Double.isFinite(mscale), "YaRN mscale must be finite");
    Checks.require(
        Double.isNaN(mscaleAllDim) || Double.isFinite(mscaleAllDim),
        "YaRN mscale_all_dim must be finite");
  }

  /** This YaRN with other ramp bounds β_fast and β_slow (in rotations within L). */
  public YarnScaling withBetas(double newBetaFast, double newBetaSlow) {
    return new YarnScaling(
        factor,
        originalLength,
        newBetaFast,
        newBetaSlow,
        truncate,
        attentionFactor,
        mscale,
        mscaleAllDim);
  }

  /** YaRN with the default betas (32, 1), truncation on and the default temperature. */
  public static YarnScaling of(double factor, int originalLength) {
    return new YarnScaling(
        factor,
        originalLength,
        DEFAULT_BETA_FAST,
        DEFAULT_BETA_SLOW,
        true,
        Double.NaN,
        Double.NaN,
        Double.NaN);
  }

  @Override
  public String typeName() {
    return "yarn";
  }

  /**
   * The correction range (low, high) in pair-index units: raw {@code corr(β_fast)}, {@code
   * corr(β_slow)}, floored/ceiled when truncating, clamped to [0, d−1].
   */
  public double[] correctionRange(RopeGeometry geometry) {
    double[] raw = rawCorrectionRange(geometry);
    double low = raw[0];
    double high = raw[1];
    if (truncate) {
      low = Math.floor(low);
      high = Math.ceil(high);
    }
    return new double[] {Math.max(low, 0), Math.min(high, geometry.rotaryDim() - 1)};
  }

  /** The unrounded, unclamped correction dims {@code corr(β_fast)}, {@code corr(β_slow)}. */
  public double[] rawCorrectionRange(RopeGeometry geometry) {
    return new double[] {correctionDim(geometry, betaFast), correctionDim(geometry, betaSlow)};
  }

  private double correctionDim(RopeGeometry geometry, double rotations) {
    return geometry.rotaryDim()
        * Math.log(originalLength / (rotations * 2 * Math.PI))
        / (2 * Math.log(geometry.base()));
  }

  /** rᵢ = clamp((i − low)/(high − low), 0, 1): 0 = extrapolate, 1 = interpolate. */
  public double[] ramp(RopeGeometry geometry) {
    double[] range = correctionRange(geometry);
    double low = range[0];
    double high = range[1] == low ? low + 0.001 : range[1];
    double[] ramp = new double[geometry.pairs()];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = Math.min(1, Math.max(0, (i - low) / (high - low)));
    }
    return ramp;
  }

  @Override
  public double[] inverseFrequencies(RopeGeometry geometry, int seqLength, int layer) {
    double[] ramp = ramp(geometry);
    double[] inv = geometry.thetas();
    for (int i = 0; i < inv.length; i++) {
      inv[i] *= 1 - ramp[i] + ramp[i] / factor;
    }
    return inv;
  }

  @Override
  public double attentionScale(int seqLength) {
    if (!Double.isNaN(attentionFactor)) {
      return attentionFactor;
    }
    if (!Double.isNaN(mscale) && mscale != 0 && !Double.isNaN(mscaleAllDim) && mscaleAllDim != 0) {
      return temperature(factor, mscale) / temperature(factor, mscaleAllDim);
    }
    return temperature(factor, 1);
  }

  /** YaRN's get_mscale: 0.1·m·ln s + 1 for s &gt; 1, else 1. */
  public static double temperature(double s, double m) {
    return s <= 1 ? 1.0 : 0.1 * m * Math.log(s) + 1;
  }
}
