package io.github.longrope.rope;

import java.util.Optional;

/**
 * The RoPE parameters in effect at one sequence length and layer: rescaled inverse frequencies,
 * attention scale, start tokens and (for a short/long pair) the active regime.
 *
 * <p>Angles follow LongRoPE's start-token splice: position p &lt; n̂ uses the original angle p·θᵢ
 * and no attention scale; p ≥ n̂ uses p·θ′ᵢ (true position, no shift) times the attention scale.
 * Everything here is computed in double; {@link #table} builds float tables for the model.
 */
public record RopeFrequencies(
    RopeGeometry geometry,
    double[] inverseFrequencies,
    double attentionScale,
    int startTokens,
    Optional<RopeScaling.Regime> regime) {

  public RopeFrequencies {
    Checks.require(
        inverseFrequencies.length == geometry.pairs(),
        "got %d inverse frequencies, expected d/2 = %d",
        inverseFrequencies.length,
        geometry.pairs());
    for (double v : inverseFrequencies) {
      Checks.require(
          Double.isFinite(v) && v > 0, "inverse frequency must be finite and > 0, got %s", v);
    }
    Checks.positiveFinite(attentionScale, "attention scale");
    Checks.require(startTokens >= 0, "start tokens must be >= 0, got %d", startTokens);
    inverseFrequencies = inverseFrequencies.clone();
  }

  @Override
  public double[] inverseFrequencies() {
    return inverseFrequencies.clone();
  }

  /** Equivalent rescale factors λᵢ = θᵢ / θ′ᵢ. */
  public double[] factors() {
    double[] lambda = new double[inverseFrequencies.length];
    for (int i = 0; i < lambda.length; i++) {
      lambda[i] = geometry.theta(i) / inverseFrequencies[i];
    }
    return lambda;
  }

  /** Wavelengths 2π/θ′ᵢ in tokens. */
  public double[] wavelengths() {
    double[] w = new double[inverseFrequencies.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = 2 * Math.PI / inverseFrequencies[i];
    }
    return w;
  }

  /** Angle of pair i at position p (original θᵢ below n̂). */
  public double angle(int position, int i) {
    double inv = position < startTokens ? geometry.theta(i) : inverseFrequencies[i];
    return position * inv;
  }

  /** Attention scale folded into cos and sin at position p (1 below n̂). */
  public double scaleAt(int position) {
    return position < startTokens ? 1.0 : attentionScale;
  }

  /** cos(angle)·scale for every pair at position p. */
  public double[] cos(int position) {
    double[] out = new double[inverseFrequencies.length];
    double s = scaleAt(position);
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.cos(angle(position, i)) * s;
    }
    return out;
  }

  /** sin(angle)·scale for every pair at position p. */
  public double[] sin(int position) {
    double[] out = new double[inverseFrequencies.length];
    double s = scaleAt(position);
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.sin(angle(position, i)) * s;
    }
    return out;
  }

  /**
   * Rotates a head vector x (length d) at position p, rotate-half layout: {@code x·cos +
   * rotate_half(x)·sin} with rotate_half(x) = [−x[d/2:], x[:d/2]].
   */
  public double[] rotate(double[] x, int position) {
    int half = geometry.pairs();
    Checks.require(
        x.length == geometry.rotaryDim(),
        "vector has %d values, expected rotary dim %d",
        x.length,
        geometry.rotaryDim());
    double[] c = cos(position);
    double[] s = sin(position);
    double[] out = new double[x.length];
    for (int i = 0; i < half; i++) {
      out[i] = x[i] * c[i] - x[i + half] * s[i];
      out[i + half] = x[i + half] * c[i] + x[i] * s[i];
    }
    return out;
  }

  /** A float cos/sin table for positions [from, to). */
  public RopeTable table(int from, int to, RopeTable.Precision precision) {
    return RopeTable.build(this, from, to, precision);
  }
}
