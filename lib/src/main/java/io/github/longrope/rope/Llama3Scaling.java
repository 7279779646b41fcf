package io.github.longrope.rope;

/**
 * Llama 3.1 scaling (HF {@code llama3}): by wavelength λw = 2π/θᵢ, keep θᵢ when λw &lt; L/high,
 * divide by s when λw &gt; L/low, and blend smoothly in between with sm = (L/λw − low)/(high −
 * low), θ′ = (1 − sm)·θ/s + sm·θ. Wavelengths exactly at a bound are blended, as in HF.
 */
public record Llama3Scaling(
    double factor, double lowFreqFactor, double highFreqFactor, int originalLength)
    implements RopeScaling.Anchored {

  /** Llama 3.1's values, used when a config or flag set gives none. */
  public static final double DEFAULT_LOW_FREQ_FACTOR = 1;

  /** Llama 3.1's values, used when a config or flag set gives none. */
  public static final double DEFAULT_HIGH_FREQ_FACTOR = 4;

  public Llama3Scaling {
    Checks.atLeastOne(factor, "llama3 factor");
    Checks.positiveFinite(lowFreqFactor, "low_freq_factor");
    Checks.positiveFinite(highFreqFactor, "high_freq_factor");
    Checks.require(
        highFreqFactor > lowFreqFactor,
        "high_freq_factor (%s) must be greater than low_freq_factor (%s)",
        highFreqFactor,
        lowFreqFactor);
    Checks.positive(originalLength, "original length");
  }

  @Override
  public String typeName() {
    return "llama3";
  }

  @Override
  public double[] inverseFrequencies(RopeGeometry geometry, int seqLength, int layer) {
    double lowWavelength = originalLength / lowFreqFactor;
    double highWavelength = originalLength / highFreqFactor;
    double[] inv = geometry.thetas();
    for (int i = 0; i < inv.length; i++) {
      double theta = inv[i];
      double wavelength = 2 * Math.PI / theta;
      if (wavelength < highWavelength) {
        continue;
      }
      if (wavelength > lowWavelength) {
        inv[i] = theta / factor;
      } else {
        double smooth =
            (originalLength / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        inv[i] = (1 - smooth) * theta / factor + smooth * theta;
      }
    }
    return inv;
  }
}
