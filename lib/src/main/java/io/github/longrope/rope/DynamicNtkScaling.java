package io.github.longrope.rope;

/**
 * Dynamic NTK (HF {@code dynamic}): for current length n, b′ = b·(s·n/L − (s − 1))^(d/(d−2)) with n
 * clamped to at least L, so below the original length nothing changes. The frequencies depend on
 * the sequence length, so a KV cache holding rotated keys goes stale as n grows (docs/method.md,
 * "Known failure modes", F8).
 */
public record DynamicNtkScaling(double factor, int originalLength) implements RopeScaling.Anchored {
  public DynamicNtkScaling {
    Checks.atLeastOne(factor, "dynamic NTK factor");
    Checks.positive(originalLength, "original length");
  }

  @Override
  public String typeName() {
    return "dynamic";
  }

  @Override
  public double[] inverseFrequencies(RopeGeometry geometry, int seqLength, int layer) {
    double n = Math.max(seqLength, originalLength);
    double ratio = factor * n / originalLength - (factor - 1);
    return NtkScaling.ntkInverseFrequencies(geometry, ratio);
  }
}
