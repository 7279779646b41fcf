package io.github.longrope.rope;

/** Plain RoPE: θ′ᵢ = θᵢ, attention scale 1 (HF {@code default}). */
public record NoScaling() implements RopeScaling {
  @Override
  public String typeName() {
    return "default";
  }

  @Override
  public double[] inverseFrequencies(RopeGeometry geometry, int seqLength, int layer) {
    return geometry.thetas();
  }
}
