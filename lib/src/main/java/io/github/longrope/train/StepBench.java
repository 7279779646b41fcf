package io.github.longrope.train;

import ai.djl.ndarray.NDArray;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.RandomWeights;
import io.github.longrope.model.TrainingPass;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Training throughput of the real trainer step (the body of {@link Trainer}'s loop: per sequence a
 * forward and backward with gradients accumulated at scale 1/batch, then one clipped AdamW update)
 * on random tokens, for {@code longrope bench train}. Random weights and tokens: the speed of a
 * step does not depend on what the model knows.
 */
public final class StepBench {
  private StepBench() {}

  /** Tokens per second over {@code steps} timed steps after one warm-up step. */
  public static double tokensPerSecond(
      ModelConfig config, int context, int batch, int steps, boolean checkpointing, long seed) {
    if (context < 2 || batch < 1 || steps < 1) {
      throw new IllegalArgumentException(
          "bench train needs context >= 2, batch >= 1 and steps >= 1");
    }
    TrainConfig.OptimizerSpec spec =
        new TrainConfig.OptimizerSpec(1e-4, null, 0, "constant", null, null, null, null, 1.0);
    SplittableRandom random = new SplittableRandom(seed);
    try (Decoder model = Decoder.load(config, new RandomWeights(config, seed, 0.02))) {
      TrainingPass.enable(model);
      Map<String, NDArray> params = TrainingPass.parameters(model);
      try (AdamW adam = new AdamW(spec, params)) {
        step(model, params, adam, context, batch, checkpointing, random); // warm-up
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
          step(model, params, adam, context, batch, checkpointing, random);
        }
        return (double) steps * batch * context / ((System.nanoTime() - t0) / 1e9);
      }
    }
  }

  private static void step(
      Decoder model,
      Map<String, NDArray> params,
      AdamW adam,
      int context,
      int batch,
      boolean checkpointing,
      SplittableRandom random) {
    ModelConfig c = model.config();
    for (int b = 0; b < batch; b++) {
      int[] ids = random.ints(context, 3, c.vocabSize()).toArray();
      TrainingPass.backward(model, ids, null, c.ropeScaling(), 1f / batch, checkpointing);
    }
    adam.update(params, 1e-4);
  }
}
