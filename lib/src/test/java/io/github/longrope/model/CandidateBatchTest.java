package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.rope.YarnScaling;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One forward over B RoPE settings gives each setting's {@link Decoder#nll}: every family (GQA,
 * sliding window, q/k/v biases, fused projections with partial rotary), per-layer factor tables,
 * attention over several query chunks, f32 and f16.
 */
class CandidateBatchTest {
  /** Monotone λ over {@code pairs}, from 1 to {@code top}, bent by {@code power}. */
  static double[] monotone(int pairs, double top, double power) {
    double[] f = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      f[i] = 1 + (top - 1) * Math.pow((double) i / (pairs - 1), power);
    }
    return f;
  }

  static List<RopeScaling> settings(ModelConfig c) {
    int pairs = c.rope().pairs();
    double[][] perLayer = new double[c.numLayers()][];
    for (int l = 0; l < perLayer.length; l++) {
      perLayer[l] = monotone(pairs, 4 + l, 1 + 0.5 * l);
    }
    return List.of(
        new NoScaling(),
        YarnScaling.of(4, 1024),
        LongRopeScaling.of(FactorTable.of(monotone(pairs, 5, 2)), 1024, 4),
        LongRopeScaling.of(FactorTable.ofRows(perLayer), 1024, 4));
  }

  static void check(ModelConfig c, Precision precision, double tolerance) {
    int[] ids = TinyModels.randomIds(c, 300, 5);
    WeightSource w = HalfPrecisionTest.withBiases(new RandomWeights(c, 11, 0.1));
    try (Decoder d = Decoder.load(c, w, precision, Placement.CPU).withAttentionChunk(64)) {
      List<RopeScaling> ropes = settings(c);
      double[][] batch = CandidateBatch.nll(d, ids, ropes, 3);
      assertEquals(ropes.size(), batch.length);
      for (int k = 0; k < ropes.size(); k++) {
        double[] alone = d.nll(ids, ropes.get(k), 3);
        assertEquals(alone.length, batch[k].length);
        double worst = 0;
        for (int t = 0; t < alone.length; t++) {
          worst = Math.max(worst, Math.abs(batch[k][t] - alone[t]) / Math.abs(alone[t]));
        }
        assertTrue(worst <= tolerance, "setting " + k + ": largest relative difference " + worst);
      }
      // the settings differ, so a mix-up of rows would show
      assertTrue(Math.abs(batch[0][200] - batch[1][200]) > 1e-3);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"llama", "mistral", "qwen2", "phi3"})
  void eachRowIsThatSettingAlone(String family) {
    check(HalfPrecisionTest.family(family), Precision.F32, 1e-5);
  }

  @Test
  void halfPrecisionBatchesToo() {
    // f16 activations round at 2^-11: the batched sums may round differently
    check(HalfPrecisionTest.family("llama"), Precision.F16, 2e-3);
  }

  @Test
  void aBatchOfOneIsTheSingleForward() {
    ModelConfig c = HalfPrecisionTest.family("llama");
    int[] ids = TinyModels.randomIds(c, 100, 6);
    try (Decoder d = Decoder.load(c, new RandomWeights(c, 3, 0.1))) {
      RopeScaling yarn = YarnScaling.of(4, 1024);
      assertArrayEquals(d.nll(ids, yarn, 0), CandidateBatch.nll(d, ids, List.of(yarn), 0)[0]);
      assertThrows(IllegalArgumentException.class, () -> CandidateBatch.nll(d, ids, List.of(), 0));
      assertThrows(
          IllegalArgumentException.class,
          () -> CandidateBatch.nll(d, ids, List.of(yarn, yarn), ids.length - 1));
    }
  }
}
