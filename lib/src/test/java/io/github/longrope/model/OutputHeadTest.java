package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** An f16 output matrix widened slice by slice gives the logits of the matrix widened whole. */
class OutputHeadTest {
  @Test
  void slicedWideningEqualsWholeWidening() {
    int hidden = 24;
    int vocab = 2 * OutputHead.VOCAB_SLICE + 77; // three slices, the last one short
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      NDArray head = m.randomNormal(0, 0.5f, new Shape(hidden, vocab), DataType.FLOAT32);
      NDArray half = head.toType(DataType.FLOAT16, false);
      NDArray rows = m.randomNormal(new Shape(5, hidden));
      float[] whole = rows.matMul(Decoder.f32(half)).toFloatArray();
      NDArray sliced = OutputHead.logits(rows, half);
      assertEquals(DataType.FLOAT32, sliced.getDataType());
      assertEquals(new Shape(5, vocab), sliced.getShape());
      float[] got = sliced.toFloatArray();
      for (int i = 0; i < whole.length; i++) {
        assertEquals(whole[i], got[i], 1e-5f * Math.max(1, Math.abs(whole[i])), "logit " + i);
      }
    }
  }
}
