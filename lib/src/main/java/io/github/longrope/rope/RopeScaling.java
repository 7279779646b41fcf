package io.github.longrope.rope;

import java.util.Optional;

/**
 * One RoPE scaling variant: how the base frequencies θᵢ are changed for a given current sequence
 * length, and which attention scale goes with them.
 *
 * <p>All variants are small validated records; a compact constructor rejects bad parameters, so a
 * {@code RopeScaling} that exists is usable. Names map to variants in one place, {@link RopeNames}
 * (types and their aliases, seeds, comparison methods); {@link #typeName()} is the way back, and
 * callers dispatch with an exhaustive {@code switch} over this sealed type.
 *
 * <p>Variant math: docs/method.md, "RoPE variants" (LongRoPE, the HF {@code longrope} pair, and
 * HF's default, linear, NTK, dynamic NTK, YaRN and llama3).
 */
public sealed interface RopeScaling
    permits NoScaling, LinearScaling, NtkScaling, RopeScaling.Anchored {

  /**
   * A variant defined relative to the pre-training length L (dynamic NTK, YaRN, llama3, LongRoPE):
   * L is part of the setting, so it travels with it into every table, export and run record.
   */
  sealed interface Anchored extends RopeScaling
      permits DynamicNtkScaling, YarnScaling, Llama3Scaling, LongRopeScaling {
    /** L, the length the model was pre-trained at. */
    int originalLength();

    @Override
    default int originalLengthOr(int fallback) {
      return originalLength();
    }
  }

  /** The HF {@code rope_type} spelling of this variant ({@code default}, {@code linear}, ...). */
  String typeName();

  /**
   * Rescaled inverse frequencies θ′ᵢ for a sequence of {@code seqLength} tokens (the total length,
   * max position id + 1), at decoder layer {@code layer} (only LongRoPE has per-layer factors).
   */
  double[] inverseFrequencies(RopeGeometry geometry, int seqLength, int layer);

  /**
   * The pre-training length L this variant refers to, for the variants that carry one (dynamic NTK,
   * YaRN, llama3, LongRoPE); {@code fallback} for the others (none, linear, static NTK).
   */
  default int originalLengthOr(int fallback) {
    return fallback;
  }

  /**
   * The factor multiplied into cos and sin (attention temperature), for {@code seqLength}; 1 for
   * the variants that only move frequencies (none, linear, NTK, dynamic NTK, llama3).
   */
  default double attentionScale(int seqLength) {
    return 1.0;
  }

  /** Positions below this count use the original table with no attention scale (LongRoPE n̂). */
  default int startTokens() {
    return 0;
  }

  /**
   * Short/long regime for variants that switch on length (HF {@code longrope} pair), else empty.
   */
  default Optional<Regime> regime(int seqLength) {
    return Optional.empty();
  }

  /** Number of per-layer factor rows (1 when all layers share one vector). */
  default int layers() {
    return 1;
  }

  /** Everything RoPE needs at one length and layer, with the equivalent λᵢ. */
  default RopeFrequencies frequencies(RopeGeometry geometry, int seqLength, int layer) {
    Checks.require(seqLength >= 0, "sequence length must be >= 0, got %d", seqLength);
    return new RopeFrequencies(
        geometry,
        inverseFrequencies(geometry, seqLength, layer),
        attentionScale(seqLength),
        startTokens(),
        regime(seqLength));
  }

  /** {@link #frequencies(RopeGeometry, int, int)} at layer 0. */
  default RopeFrequencies frequencies(RopeGeometry geometry, int seqLength) {
    return frequencies(geometry, seqLength, 0);
  }

  /** Which factor set of a short/long pair is active. */
  enum Regime {
    /** total length ≤ original length: short factors. */
    SHORT,
    /** total length &gt; original length: long factors. */
    LONG;

    /** HF's rule: long iff {@code seqLength > originalLength} (4096 → short, 4097 → long). */
    public static Regime of(int seqLength, int originalLength) {
      return seqLength > originalLength ? LONG : SHORT;
    }
  }

  /** θᵢ/λᵢ for each i: the shared helper of every factor-based variant. */
  static double[] divide(RopeGeometry geometry, double[] factors) {
    Checks.require(
        factors.length == geometry.pairs(),
        "got %d factors, expected d/2 = %d",
        factors.length,
        geometry.pairs());
    double[] inv = new double[factors.length];
    for (int i = 0; i < inv.length; i++) {
      inv[i] = geometry.theta(i) / factors[i];
    }
    return inv;
  }
}
