package io.github.longrope.model;

import io.github.longrope.rope.RopeScaling;

/** Public door to the package-private tiny-model fixture for tests in other packages. */
public final class TinyModelsAccess {
  private TinyModelsAccess() {}

  public static ModelConfig llama(RopeScaling scaling, int originalLength) {
    return TinyModels.llama(scaling, originalLength);
  }

  public static WeightSource weights(ModelConfig c, long seed) {
    return TinyModels.weights(c, seed);
  }

  public static int[] ids(ModelConfig c, int n, long seed) {
    return TinyModels.randomIds(c, n, seed);
  }

  public static int liveArrays(Decoder d) {
    return d.liveArrays();
  }
}
