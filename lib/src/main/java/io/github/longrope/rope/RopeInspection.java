package io.github.longrope.rope;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A variant looked at at one sequence length and layer, as {@code longrope rope} prints it: the
 * inverse frequencies, the equivalent factors λ and the attention scale, optionally cos/sin rows at
 * positions. Reading θᵢ, θ′ᵢ, λᵢ and the wavelength side by side is the quickest way to see which
 * dimensions a variant interpolates and which it leaves alone.
 *
 * @param originalLength L, or 0 when unknown
 */
public record RopeInspection(
    RopeScaling scaling,
    RopeGeometry geometry,
    int originalLength,
    int seqLength,
    int layer,
    RopeFrequencies frequencies,
    List<PositionRow> positions) {

  /** cos/sin at one position (start-token splice and attention scale included). */
  public record PositionRow(int position, double[] cos, double[] sin) {}

  public RopeInspection {
    positions = List.copyOf(positions);
  }

  /** The frequencies of {@code scaling} at {@code seqLength} and {@code layer}, and positions. */
  public static RopeInspection of(
      RopeScaling scaling,
      RopeGeometry geometry,
      int originalLength,
      int seqLength,
      int layer,
      int[] positions) {
    RopeFrequencies f = scaling.frequencies(geometry, seqLength, layer);
    List<PositionRow> rows = new ArrayList<>();
    for (int p : positions) {
      rows.add(new PositionRow(p, f.cos(p), f.sin(p)));
    }
    return new RopeInspection(scaling, geometry, originalLength, seqLength, layer, f, rows);
  }

  /** The active regime's name ({@code short}/{@code long}) for a pair, else null. */
  public String regime() {
    return frequencies.regime().map(g -> g.name().toLowerCase(Locale.ROOT)).orElse(null);
  }

  /** The human-readable table. */
  public String text() {
    RopeFrequencies f = frequencies;
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "RoPE %s: rotary dim d=%d, base b=%s, seq_len=%d, layer %d of %d%n",
            scaling.typeName(),
            geometry.rotaryDim(),
            fmt(geometry.base()),
            seqLength,
            layer,
            scaling.layers()));
    sb.append(
        String.format(
            Locale.ROOT,
            "original length L=%s, attention scale=%.10g, start tokens n̂=%d%s%n",
            originalLength > 0 ? Integer.toString(originalLength) : "n/a",
            f.attentionScale(),
            f.startTokens(),
            regime() == null ? "" : ", regime=" + regime()));
    sb.append(
        String.format(
            Locale.ROOT,
            "%4s  %16s  %16s  %16s  %14s%n",
            "i",
            "theta_i",
            "inv_freq'_i",
            "lambda_i",
            "wavelength"));
    double[] inv = f.inverseFrequencies();
    double[] lambda = f.factors();
    double[] wavelength = f.wavelengths();
    for (int i = 0; i < inv.length; i++) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%4d  %16.10g  %16.10g  %16.10g  %14.6g%n",
              i,
              geometry.theta(i),
              inv[i],
              lambda[i],
              wavelength[i]));
    }
    for (PositionRow p : positions) {
      sb.append(String.format(Locale.ROOT, "position %d%n", p.position()));
      for (int i = 0; i < p.cos().length; i++) {
        sb.append(
            String.format(
                Locale.ROOT, "%4d  cos %16.10g  sin %16.10g%n", i, p.cos()[i], p.sin()[i]));
      }
    }
    return sb.toString();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
