package io.github.longrope.model;

import static io.github.longrope.model.DecoderTest.maxRelDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.rope.DynamicNtkScaling;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.rope.RopeScaling.Regime;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failure modes F1, F3, F7 and F8 (docs/method.md, "Known failure modes"): generation that crosses
 * the original length L under a length-dependent RoPE must give the logits of a fresh full forward
 * over the same tokens.
 */
class KvCacheRegimeTest {
  static final int L = 16;
  static final LongRopeScaling PAIR =
      LongRopeScaling.of(FactorTable.of(1.5, 2.5, 4, 6), L, 8)
          .withShortFactors(FactorTable.of(1, 1.1, 1.3, 1.6));

  @Test
  void recomputeAcrossTheShortLongBoundaryMatchesAFullForward() {
    ModelConfig c = TinyModels.llama(PAIR, L);
    int[] ids = TinyModels.randomIds(c, 22, 11);
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 5))) {
      try (KvCache cache = m.newCache(PAIR)) {
        int prompt = L - 3; // prompt just below the boundary, answer generated past it
        m.step(cache, Arrays.copyOf(ids, prompt));
        assertEquals(Optional.of(Regime.SHORT), cache.regime());
        for (int t = prompt; t < ids.length; t++) {
          float[] got = m.step(cache, new int[] {ids[t]});
          int[] prefix = Arrays.copyOf(ids, t + 1);
          float[] full = m.logits(prefix, PAIR); // a fresh forward picks the table by its length
          DecoderTest.assertRow(full, t, got, c.vocabSize());
        }
        assertEquals(Optional.of(Regime.LONG), cache.regime());
        assertEquals(1, cache.recomputes(), "exactly one switch, at length L + 1");
      }
    }
  }

  @Test
  void aFixedCacheKeepsTheTableOfItsMaximumLength() {
    ModelConfig c = TinyModels.llama(PAIR, L);
    int[] ids = TinyModels.randomIds(c, 22, 11);
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 5))) {
      try (KvCache cache = m.newFixedCache(PAIR, ids.length)) {
        int prompt = L - 3;
        m.step(cache, Arrays.copyOf(ids, prompt));
        assertEquals(Optional.of(Regime.LONG), cache.regime(), "long from the first token");
        for (int t = prompt; t < ids.length; t++) {
          float[] got = m.step(cache, new int[] {ids[t]});
          float[] full = m.logits(Arrays.copyOf(ids, t + 1), PAIR, ids.length);
          DecoderTest.assertRow(full, t, got, c.vocabSize());
        }
        assertEquals(0, cache.recomputes());
      }
    }
  }

  @Test
  void reRotatingCachedKeysWouldNotBeExact() {
    // Why re-rotation is not offered: the prefix's deeper-layer activations (hence its layer ≥ 1
    // keys and values) themselves change with the table, not just the rotation of the keys. Here:
    // the prefix positions' outputs under the long table differ from those under the short one.
    ModelConfig c = TinyModels.llama(PAIR, L);
    int[] prefix = TinyModels.randomIds(c, L, 11);
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 5))) {
      float[] underShort = m.logits(prefix, PAIR, L);
      float[] underLong = m.logits(prefix, PAIR, L + 1);
      assertTrue(
          maxRelDiff(underShort, underLong) > 1e-3, "prefix activations depend on the table");
      try (KvCache cache = m.newFixedCache(PAIR, L)) {
        m.step(cache, prefix);
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class, () -> m.step(cache, new int[] {prefix[0]}));
        assertTrue(e.getMessage().contains("FIXED cache for 16 tokens"), e.getMessage());
      }
    }
  }

  @Test
  void dynamicVariantsStayExactStepByStep() {
    RopeScaling dynamic = new DynamicNtkScaling(4, L);
    ModelConfig c = TinyModels.llama(dynamic, L);
    int[] ids = TinyModels.randomIds(c, 24, 13);
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 6))) {
      try (KvCache cache = m.newCache(dynamic)) {
        m.step(cache, Arrays.copyOf(ids, 12));
        for (int t = 12; t < ids.length; t++) {
          float[] got = m.step(cache, new int[] {ids[t]});
          DecoderTest.assertRow(
              m.logits(Arrays.copyOf(ids, t + 1), dynamic), t, got, c.vocabSize());
        }
        assertEquals(ids.length - L, cache.recomputes(), "a new table at every length beyond L");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(KvCache.Policy.class)
  void greedyGenerationIsTheArgmaxOfFullForwards(KvCache.Policy policy) {
    ModelConfig c = TinyModels.llama(PAIR, L);
    int[] prompt = TinyModels.randomIds(c, L - 2, 17);
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 7))) {
      int maxNew = 6;
      int[] generated = m.generate(prompt, maxNew, PAIR, policy);
      int[] seq = prompt;
      for (int g : generated) {
        int table = policy == KvCache.Policy.FIXED ? prompt.length + maxNew : seq.length;
        float[] full = m.logits(seq, PAIR, table);
        int expected =
            Decoder.argMax(
                Arrays.copyOfRange(
                    full, (seq.length - 1) * c.vocabSize(), seq.length * c.vocabSize()));
        assertEquals(expected, g);
        if (c.isEos(g)) {
          break;
        }
        seq = Arrays.copyOf(seq, seq.length + 1);
        seq[seq.length - 1] = g;
      }
    }
  }
}
