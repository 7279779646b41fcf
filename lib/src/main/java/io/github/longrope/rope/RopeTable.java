package io.github.longrope.rope;

/**
 * A float cos/sin table for positions [from, to), row-major {@code [position][pair]} (half width:
 * the model duplicates it into the rotate-half layout {@code [c₀..c_{d/2−1}, c₀..c_{d/2−1}]}).
 * Start-token splicing and the attention scale are applied.
 *
 * <p>Two precisions, because long contexts make angle precision visible:
 *
 * <ul>
 *   <li>{@link Precision#DOUBLE} (default): the angle p·θ′ᵢ and its cos/sin are computed in double
 *       and rounded to float once. At position 100 000 the values match a double reference to float
 *       rounding (≈ 6e-8).
 *   <li>{@link Precision#FLOAT32}: emulates HF/LongRoPE ({@code inv_freq} in float32, the product
 *       {@code position·inv_freq} in float32, autocast off). The float32 product carries an
 *       absolute angle error up to ≈ p·2⁻²⁴ (≈ 0.004 rad at p = 100 000); use it to bit-compare
 *       with a PyTorch model, not for accuracy. Our float32 {@code inv_freq} is the double value
 *       rounded once, which may differ from torch's float32 {@code pow} by one ulp.
 * </ul>
 */
public final class RopeTable {
  /** How angles are computed. */
  public enum Precision {
    DOUBLE,
    FLOAT32
  }

  private final int from;
  private final int to;
  private final int pairs;
  private final float[] cos;
  private final float[] sin;

  private RopeTable(int from, int to, int pairs, float[] cos, float[] sin) {
    this.from = from;
    this.to = to;
    this.pairs = pairs;
    this.cos = cos;
    this.sin = sin;
  }

  static RopeTable build(RopeFrequencies f, int from, int to, Precision precision) {
    Checks.require(from >= 0 && to >= from, "bad position range [%d, %d)", from, to);
    int pairs = f.geometry().pairs();
    long size = (long) (to - from) * pairs;
    Checks.require(
        size <= Integer.MAX_VALUE, "table of %d entries is too large; build it in chunks", size);
    float[] cos = new float[(int) size];
    float[] sin = new float[(int) size];
    double[] theta = f.geometry().thetas();
    double[] inv = f.inverseFrequencies();
    float[] theta32 = toFloat(theta);
    float[] inv32 = toFloat(inv);
    for (int p = from; p < to; p++) {
      boolean original = p < f.startTokens();
      double scale = f.scaleAt(p);
      int row = (p - from) * pairs;
      for (int i = 0; i < pairs; i++) {
        double angle =
            precision == Precision.DOUBLE
                ? p * (original ? theta[i] : inv[i])
                : (float) p * (original ? theta32[i] : inv32[i]);
        cos[row + i] = (float) (Math.cos(angle) * scale);
        sin[row + i] = (float) (Math.sin(angle) * scale);
      }
    }
    return new RopeTable(from, to, pairs, cos, sin);
  }

  private static float[] toFloat(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  public int from() {
    return from;
  }

  public int to() {
    return to;
  }

  public int pairs() {
    return pairs;
  }

  public float cos(int position, int pair) {
    return cos[index(position, pair)];
  }

  public float sin(int position, int pair) {
    return sin[index(position, pair)];
  }

  private int index(int position, int pair) {
    Checks.require(
        position >= from && position < to && pair >= 0 && pair < pairs,
        "(position %d, pair %d) outside table [%d, %d) × %d",
        position,
        pair,
        from,
        to,
        pairs);
    return (position - from) * pairs + pair;
  }

  /** The cos half-table, row-major [position − from][pair] (a copy). */
  public float[] cosValues() {
    return cos.clone();
  }

  /** The sin half-table, row-major [position − from][pair] (a copy). */
  public float[] sinValues() {
    return sin.clone();
  }
}
