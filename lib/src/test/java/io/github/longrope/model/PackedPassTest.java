package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeScaling;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Packed documents under a block-diagonal causal mask are the documents run alone: per-document NLL
 * to 1e-5 relative, and the gradients of the packed loss equal the token-weighted sum of the
 * single-document gradients.
 */
class PackedPassTest {
  // 20 + 30 + 15 + 2 tokens: with 32-row attention chunks a chunk starts inside a document
  static final int[] LENGTHS = {20, 30, 15, 2};

  static int[] starts() {
    int[] s = new int[LENGTHS.length];
    for (int k = 1; k < s.length; k++) {
      s[k] = s[k - 1] + LENGTHS[k - 1];
    }
    return s;
  }

  static int[] doc(int[] ids, int k) {
    int from = starts()[k];
    return Arrays.copyOfRange(ids, from, from + LENGTHS[k]);
  }

  static void check(ModelConfig c, RopeScaling rope) {
    int n = Arrays.stream(LENGTHS).sum();
    int[] ids = TinyModels.randomIds(c, n, 11);
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 6)).withAttentionChunk(32)) {
      double[] packed = PackedPass.nll(m, ids, starts(), rope);
      assertEquals(n - LENGTHS.length, packed.length);
      int at = 0;
      for (int k = 0; k < LENGTHS.length; k++) {
        double[] alone = m.nll(doc(ids, k), rope, 0);
        for (int t = 0; t < alone.length; t++) {
          double p = packed[at++];
          assertTrue(
              Math.abs(p - alone[t]) <= 1e-5 * Math.abs(alone[t]),
              "document " + k + " token " + t + ": packed " + p + ", alone " + alone[t]);
        }
      }
      // a causal mask over the whole packed sequence would differ: the mask is what matters
      double[] unmasked = m.nll(ids, rope, LENGTHS[0]);
      assertTrue(Math.abs(unmasked[1] - packed[LENGTHS[0] - 1 + 1]) > 1e-3);

      TrainingPass.enable(m);
      double loss = PackedPass.backward(m, ids, starts(), rope, 1f);
      Map<String, float[]> fromPacked = TrainingPassTest.gradients(m);
      assertEquals(Arrays.stream(packed).average().orElseThrow(), loss, 1e-5 * loss);
      int predictions = n - LENGTHS.length;
      for (int k = 0; k < LENGTHS.length; k++) {
        TrainingPass.backward(m, doc(ids, k), null, rope, (LENGTHS[k] - 1f) / predictions, false);
      }
      Map<String, float[]> fromDocuments = TrainingPassTest.gradients(m);
      for (String name : fromPacked.keySet()) {
        float diff = DecoderTest.maxRelDiff(fromDocuments.get(name), fromPacked.get(name));
        assertTrue(diff < 1e-5, name + ": " + diff);
      }
    }
  }

  @Test
  void packedDocumentsEqualDocumentsRunAlone() {
    check(TinyModels.llama(), new NoScaling());
  }

  @Test
  void positionsRestartUnderAScaledRopeAndASlidingWindow() {
    RopeScaling rope = LongRopeScaling.of(FactorTable.of(1, 1.5, 2, 4), 16, 4).withStartTokens(2);
    check(TinyModels.llama(rope, 16).withSlidingWindow(9), rope);
  }

  @Test
  void badStartsAreRefused() {
    ModelConfig c = TinyModels.llama();
    int[] ids = TinyModels.randomIds(c, 10, 1);
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 6))) {
      RopeScaling r = new NoScaling();
      assertThrows(IllegalArgumentException.class, () -> PackedPass.nll(m, ids, new int[] {1}, r));
      assertThrows(
          IllegalArgumentException.class, () -> PackedPass.nll(m, ids, new int[] {0, 5, 5}, r));
      assertThrows(
          IllegalArgumentException.class, () -> PackedPass.nll(m, ids, new int[] {0, 10}, r));
      // ten one-token documents predict nothing
      assertThrows(
          IllegalArgumentException.class,
          () -> PackedPass.nll(m, ids, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, r));
    }
  }
}
