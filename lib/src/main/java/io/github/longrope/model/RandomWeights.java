package io.github.longrope.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random initial weights for a config (a model trained from scratch): matrices normal(0,
 * std) (the output projections {@code o_proj}/{@code down_proj} scaled by 1/√(2·layers), GPT-2
 * style, so the residual stream does not grow with depth), norm gains 1, biases 0. Values are
 * generated per tensor from the seed and the tensor's name, so they do not depend on read order.
 */
public final class RandomWeights implements WeightSource {
  private final ModelConfig config;
  private final long seed;
  private final double std;

  public RandomWeights(ModelConfig config, long seed, double std) {
    this.config = config;
    this.seed = seed;
    this.std = std;
  }

  @Override
  public List<String> names() {
    return new ArrayList<>(DecoderWeights.expected(config).keySet());
  }

  @Override
  public long[] shape(String name) {
    return DecoderWeights.expected(config).get(name).shape().clone();
  }

  @Override
  public float[] floats(String name) {
    long[] shape = shape(name);
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    float[] v = new float[Math.toIntExact(n)];
    if (name.endsWith("norm.weight")) {
      java.util.Arrays.fill(v, 1f);
      return v;
    }
    if (name.endsWith(".bias")) {
      return v;
    }
    double sd = std;
    if (name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight")) {
      sd /= Math.sqrt(2.0 * config.numLayers());
    }
    SplittableRandom r = new SplittableRandom(seed ^ (name.hashCode() * 0x9E3779B97F4A7C15L));
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * sd);
    }
    return v;
  }

  @Override
  public String describe(String name) {
    return "random initialisation";
  }
}
