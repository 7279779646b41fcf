package io.github.longrope.rope;

import java.util.Arrays;

/** Position interpolation (PI, HF {@code linear}): θ′ᵢ = θᵢ / s, so λᵢ = s for every i. */
public record LinearScaling(double factor) implements RopeScaling {
  public LinearScaling {
    Checks.atLeastOne(factor, "linear factor");
  }

  @Override
  public String typeName() {
    return "linear";
  }

  @Override
  public double[] inverseFrequencies(RopeGeometry geometry, int seqLength, int layer) {
    double[] lambda = new double[geometry.pairs()];
    Arrays.fill(lambda, factor);
    return RopeScaling.divide(geometry, lambda);
  }
}
