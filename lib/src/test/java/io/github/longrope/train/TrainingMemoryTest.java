package io.github.longrope.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.model.TrainingPass;
import io.github.longrope.rope.NoScaling;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Training steps (backward with and without checkpointing, then the AdamW update) leave no native
 * array behind: a leaked gradient square once cost a model's size per step and ran a 2-core
 * training job out of 24 GB after 400 steps.
 */
class TrainingMemoryTest {
  @Test
  void stepsLeaveNoNativeArraysBehind() {
    ModelConfig c = TinyModelsAccess.llama(new NoScaling(), 32);
    try (Decoder d = Decoder.load(c, TinyModelsAccess.weights(c, 3))) {
      TrainingPass.enable(d);
      Map<String, NDArray> params = TrainingPass.parameters(d);
      TrainConfig.OptimizerSpec spec =
          new TrainConfig.OptimizerSpec(1e-3, null, 0, "constant", null, null, null, null, 1.0);
      try (AdamW adam = new AdamW(spec, params)) {
        Runnable step =
            () -> {
              TrainingPass.backward(
                  d, TinyModelsAccess.ids(c, 24, 1), null, new NoScaling(), 0.5f, false);
              TrainingPass.backward(
                  d, TinyModelsAccess.ids(c, 24, 2), null, new NoScaling(), 0.5f, true);
              adam.update(params, 1e-3);
            };
        step.run();
        int arrays = TinyModelsAccess.liveArrays(d);
        for (int i = 0; i < 5; i++) {
          step.run();
        }
        assertEquals(arrays, TinyModelsAccess.liveArrays(d), "native arrays left by 5 steps");
      }
    }
  }
}
