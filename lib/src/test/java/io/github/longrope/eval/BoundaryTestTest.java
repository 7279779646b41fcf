package io.github.longrope.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.model.Decoder;
import io.github.longrope.model.KvCache;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.RopeScaling.Regime;
import org.junit.jupiter.api.Test;

/** The boundary test's machinery on a tiny random model (exactness; retrieval needs training). */
class BoundaryTestTest extends CodecCase {
  static final int L = 96;
  static final LongRopeScaling PAIR =
      LongRopeScaling.of(FactorTable.of(1.5, 2.5, 4, 6), L, 8)
          .withShortFactors(FactorTable.of(1, 1.1, 1.3, 1.6));

  @Test
  void cachedAnswersEqualFullForwardsOnBothSidesOfTheSwitch() {
    ModelConfig c = EvalFixtures.config(PAIR, L);
    try (Decoder m = EvalFixtures.model(c, 9)) {
      BoundaryTest test = new BoundaryTest(3, 42, 3, 8);
      BoundaryTest.Result r = test.run(m, PAIR, L, codec, null);
      assertEquals(6, r.rows().size());
      assertTrue(r.allExact(), r.table().print());
      for (BoundaryTest.Row row : r.rows()) {
        assertTrue(row.promptTokens() <= L - 3 && row.promptTokens() >= L - 12, "" + row);
        if (row.crossed(L)) {
          if (row.policy() == KvCache.Policy.RECOMPUTE) {
            assertEquals(Regime.SHORT, row.promptRegime());
            assertEquals(Regime.LONG, row.finalRegime());
            assertEquals(1, row.recomputes(), "one rebuild, at L + 1");
          } else {
            assertEquals(Regime.LONG, row.promptRegime(), "fixed: long from the first token");
            assertEquals(0, row.recomputes());
          }
        }
      }
      assertTrue(r.crossed() > 0, "at least one generation crossed L");
      assertEquals(6, r.table().rowCount());
      assertEquals("exact", r.table().column(11).name());
    }
  }

  @Test
  void promptsFitJustBelowTheLimit() {
    for (double u : new double[] {0, 0.3, 1}) {
      PasskeyPrompt p = BoundaryTest.fit(codec, 1, 90, u, 31337);
      int n = codec.encode(p.text()).length + 1;
      assertTrue(n <= 90, "fits: " + n);
      PasskeyPrompt more =
          PasskeyPrompt.build(
              p.budgetChars() + 1, (int) Math.floor(u * (p.budgetChars() + 1)), 31337);
      assertTrue(codec.encode(more.text()).length + 1 > 90, "one more character does not fit");
    }
  }

  @Test
  void needsAShortLongPairAndRoomToCross() {
    ModelConfig c = EvalFixtures.config(PAIR, L);
    try (Decoder m = EvalFixtures.model(c, 9)) {
      LongRopeScaling single = LongRopeScaling.of(FactorTable.of(1.5, 2.5, 4, 6), L, 8);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> BoundaryTest.defaults().run(m, single, L, codec, null));
      assertTrue(e.getMessage().contains("short/long pair"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> new BoundaryTest(1, 1, 3, 4));
    IllegalArgumentException tooShort =
        assertThrows(IllegalArgumentException.class, () -> BoundaryTest.fit(codec, 1, 10, 0.5, 1));
    assertTrue(tooShort.getMessage().contains("without filler"), tooShort.getMessage());
  }
}
