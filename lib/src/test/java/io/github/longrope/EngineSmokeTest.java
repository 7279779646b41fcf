package io.github.longrope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import org.junit.jupiter.api.Test;

/**
 * The DJL build plumbing: the PyTorch engine starts from the bundled CPU natives with {@code
 * ai.djl.offline=true} and a fresh cache directory (surefire sets both), so nothing is downloaded
 * at run time, and the operations the decoder needs give the values measured for them when the
 * engine was chosen.
 */
class EngineSmokeTest {
  @Test
  void pytorchEngineStartsOfflineFromBundledNatives() {
    assertEquals("true", System.getProperty("ai.djl.offline"));
    Engine engine = Engine.getInstance();
    assertEquals("PyTorch", engine.getEngineName());
    assertEquals("2.5.1", engine.getVersion());
  }

  @Test
  void decoderOperationsGiveReferenceValues() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {-1, 0, 2});
      assertArrayEquals(
          new float[] {-0.26894f, 0f, 1.76159f},
          x.mul(Activation.sigmoid(x)).toFloatArray(),
          1e-5f);
      NDArray a = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
      NDArray b = m.create(new float[] {5, 6, 7, 8}, new Shape(2, 2));
      assertArrayEquals(new float[] {19, 22, 43, 50}, a.matMul(b).toFloatArray());
      NDArray rms = a.mul(a.square().mean(new int[] {-1}, true).add(1e-6f).pow(-0.5f));
      assertEquals(1.0f, rms.square().mean(new int[] {-1}).toFloatArray()[0], 1e-5f);
    }
  }
}
