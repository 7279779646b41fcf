package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.NoScaling;
import org.junit.jupiter.api.Test;

/** Internal consistency of the decoder: chunking, NLL vs logits, KV-cache steps, errors. */
class DecoderTest {
  static float maxRelDiff(float[] a, float[] b) {
    float worst = 0;
    float scale = 0;
    for (float v : a) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst / scale;
  }

  @Test
  void chunkedAttentionEqualsFullAttention() {
    ModelConfig c = TinyModels.llama();
    int[] ids = TinyModels.randomIds(c, 37, 3);
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 1))) {
      float[] full = m.withAttentionChunk(1000).logits(ids, new NoScaling());
      float[] chunked = m.withAttentionChunk(5).logits(ids, new NoScaling());
      assertTrue(maxRelDiff(full, chunked) < 1e-5, "chunked differs: " + maxRelDiff(full, chunked));
      ModelConfig windowed = c.withSlidingWindow(6);
      try (Decoder w = Decoder.load(windowed, TinyModels.weights(windowed, 1))) {
        float[] a = w.withAttentionChunk(1000).logits(ids, new NoScaling());
        float[] b = w.withAttentionChunk(4).logits(ids, new NoScaling());
        assertTrue(maxRelDiff(a, b) < 1e-5);
        assertTrue(
            maxRelDiff(full, a) > 1e-3, "a window of 6 must change logits beyond position 6");
      }
    }
  }

  /** Rows of the MLP are independent: chunking them (long sequences) changes nothing. */
  @Test
  void chunkedMlpEqualsTheWholeMlp() {
    ModelConfig c = TinyModels.llama();
    int[] ids = TinyModels.randomIds(c, 37, 4);
    for (Precision p : Precision.values()) {
      try (Decoder m = Decoder.load(c, TinyModels.weights(c, 1), p, Placement.CPU)) {
        float[] whole = m.logits(ids, new NoScaling());
        float[] chunked = m.withMlpRows(8).logits(ids, new NoScaling());
        assertTrue(
            maxRelDiff(whole, chunked) < 1e-5, p + " differs: " + maxRelDiff(whole, chunked));
        double[] a = m.withMlpRows(Decoder.MLP_ROWS).nll(ids, new NoScaling(), 0);
        double[] b = m.withMlpRows(5).nll(ids, new NoScaling(), 0);
        for (int i = 0; i < a.length; i++) {
          assertEquals(a[i], b[i], 1e-5, p + " token " + i);
        }
      }
    }
  }

  @Test
  void nllMatchesLogSoftmaxOfLogits() {
    ModelConfig c = TinyModels.llama();
    int[] ids = TinyModels.randomIds(c, 20, 5);
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 2))) {
      float[] logits = m.logits(ids, new NoScaling());
      double[] nll = m.nll(ids, new NoScaling(), 3);
      assertEquals(16, nll.length);
      for (int t = 3; t < ids.length - 1; t++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < c.vocabSize(); v++) {
          max = Math.max(max, logits[t * c.vocabSize() + v]);
        }
        double sum = 0;
        for (int v = 0; v < c.vocabSize(); v++) {
          sum += Math.exp(logits[t * c.vocabSize() + v] - max);
        }
        double expected = -(logits[t * c.vocabSize() + ids[t + 1]] - max - Math.log(sum));
        assertEquals(expected, nll[t - 3], 1e-4, "t=" + t);
      }
    }
  }

  @Test
  void cachedStepsEqualFullForward() {
    ModelConfig c = TinyModels.llama();
    int[] ids = TinyModels.randomIds(c, 24, 7);
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 3))) {
      float[] full = m.logits(ids, new NoScaling());
      try (KvCache cache = m.newCache(new NoScaling())) {
        int prompt = 10;
        float[] last = m.step(cache, java.util.Arrays.copyOf(ids, prompt));
        assertRow(full, prompt - 1, last, c.vocabSize());
        for (int t = prompt; t < ids.length; t++) {
          last = m.step(cache, new int[] {ids[t]});
          assertRow(full, t, last, c.vocabSize());
        }
        assertEquals(0, cache.recomputes());
      }
    }
  }

  static void assertRow(float[] full, int row, float[] got, int vocab) {
    float[] expected = java.util.Arrays.copyOfRange(full, row * vocab, (row + 1) * vocab);
    assertTrue(maxRelDiff(expected, got) < 1e-5, "row " + row + ": " + maxRelDiff(expected, got));
  }

  @Test
  void perLayerAndStartTokenScalingsRun() {
    FactorTable perLayer = FactorTable.ofRows(new double[][] {{1, 1, 2, 4}, {1, 2, 3, 4}});
    LongRopeScaling rope = LongRopeScaling.of(perLayer, 16, 4).withStartTokens(2);
    ModelConfig c = TinyModels.llama(rope, 16);
    int[] ids = TinyModels.randomIds(c, 40, 9);
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 4))) {
      float[] scaled = m.logits(ids, rope);
      float[] plain = m.logits(ids, new NoScaling());
      assertTrue(maxRelDiff(scaled, plain) > 1e-3);
      for (float v : scaled) {
        assertTrue(Float.isFinite(v));
      }
    }
  }

  @Test
  void badInputIsRejected() {
    ModelConfig c = TinyModels.llama();
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 1))) {
      assertThrows(
          IllegalArgumentException.class, () -> m.logits(new int[] {1, 50}, new NoScaling()));
      assertThrows(IllegalArgumentException.class, () -> m.logits(new int[0], new NoScaling()));
    }
    TinyModels.MapWeights w = TinyModels.weights(c, 1);
    w.shapes.put("model.layers.1.self_attn.k_proj.weight", new long[] {32, 32});
    IllegalArgumentException shape =
        assertThrows(IllegalArgumentException.class, () -> Decoder.load(c, w));
    assertTrue(
        shape.getMessage().contains("model.layers.1.self_attn.k_proj.weight"), shape.getMessage());
    assertTrue(shape.getMessage().contains("[16, 32]"), shape.getMessage());
    TinyModels.MapWeights extra = TinyModels.weights(c, 1);
    extra.put("model.layers.2.mlp.up_proj.weight", new java.util.SplittableRandom(1), 0.1, 4, 4);
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> Decoder.load(c, extra));
    assertTrue(
        unknown.getMessage().contains("model.layers.2.mlp.up_proj.weight"), unknown.getMessage());
    TinyModels.MapWeights missing = TinyModels.weights(c, 1);
    missing.shapes.remove("model.norm.weight");
    IllegalArgumentException gone =
        assertThrows(IllegalArgumentException.class, () -> Decoder.load(c, missing));
    assertTrue(gone.getMessage().contains("no tensor 'model.norm.weight'"), gone.getMessage());
  }
}
