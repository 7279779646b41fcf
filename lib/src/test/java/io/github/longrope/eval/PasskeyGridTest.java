package io.github.longrope.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.data.PasskeyMixture;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.KvCache;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeScaling;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * The grid machinery on a tiny random model (which cannot retrieve anything): seeded prompts at the
 * requested depths, the cached generation path equal to greedy full forwards, cell counts, scoring
 * (through an oracle codec), cancellation.
 */
class PasskeyGridTest extends CodecCase {
  @Test
  void cellsHaveTheRequestedDepthsAndTheSameKeys() {
    ModelConfig c = EvalFixtures.config(new NoScaling(), 64);
    PasskeyGrid grid = PasskeyGrid.of(List.of(40, 80), 3, 2).withMaxNewTokens(3);
    assertEquals(List.of(0.0, 0.5, 1.0), grid.depths());
    List<PasskeyGrid.Trial> seen = new ArrayList<>();
    try (Decoder m = EvalFixtures.model(c, 1)) {
      PasskeyGrid.Result r = grid.run(m, new NoScaling(), codec, (done, total, t) -> seen.add(t));
      assertEquals(12, r.trials().size());
      assertEquals(r.trials(), seen);
      SplittableRandom keys = new SplittableRandom(PasskeyGrid.SEED);
      int k0 = 1 + keys.nextInt(50_000);
      int k1 = 1 + keys.nextInt(50_000);
      for (PasskeyGrid.Trial t : r.trials()) {
        PasskeyPrompt p = t.prompt();
        assertEquals(PasskeyPrompt.characterBudget(t.length()), p.budgetChars());
        assertEquals(Math.round(t.depth() * p.budgetChars()), p.prefixChars());
        assertEquals(t.index() == 0 ? k0 : k1, p.passkey(), "keys repeat in every cell");
        assertEquals(codec.encode(p.text()).length + 1, t.promptTokens(), "BOS + prompt");
      }
      Table cells = r.table();
      assertEquals(6, cells.rowCount());
      assertEquals(
          List.of("length", "depth", "trials", "correct", "accuracy", "prompt_tokens"),
          cells.columnNames());
      assertEquals(List.of(40, 40, 40, 80, 80, 80), cells.intColumn("length").asList());
      assertEquals(
          List.of(0.0, 50.0, 100.0, 0.0, 50.0, 100.0), cells.doubleColumn("depth").asList());
      assertTrue(cells.intColumn("trials").asList().stream().allMatch(n -> n == 2));
    }
  }

  @Test
  void fittedPromptsFillTheWindowWithTheAnswerAndNoMore() {
    ModelConfig c = EvalFixtures.config(new NoScaling(), 256);
    PasskeyGrid grid =
        PasskeyGrid.of(List.of(120, 200), 2, 2)
            .withMaxNewTokens(2)
            .withSizing(PasskeyGrid.Sizing.FIT);
    try (Decoder m = EvalFixtures.model(c, 1)) {
      PasskeyGrid.Result r = grid.run(m, new NoScaling(), codec, null);
      assertEquals(8, r.trials().size());
      for (PasskeyGrid.Trial t : r.trials()) {
        PasskeyPrompt p = t.prompt();
        int key = p.passkey();
        int withAnswer = codec.encode(PasskeyMixture.withAnswer(p.text(), key)).length + 1;
        assertTrue(withAnswer <= t.length(), "BOS + prompt + answer fit: " + withAnswer);
        PasskeyPrompt longer =
            PasskeyPrompt.build(
                p.budgetChars() + 1, (int) Math.floor(t.depth() * (p.budgetChars() + 1)), key);
        assertTrue(
            codec.encode(PasskeyMixture.withAnswer(longer.text(), key)).length + 1 > t.length(),
            "one more filler character would not fit");
        assertEquals(Math.floor(t.depth() * p.budgetChars()), p.prefixChars());
        assertEquals(codec.encode(p.text()).length + 1, t.promptTokens());
      }
    }
    PasskeyGrid tooShort = PasskeyGrid.of(List.of(30), 0, 1).withSizing(PasskeyGrid.Sizing.FIT);
    try (Decoder m = EvalFixtures.model(c, 1)) {
      var e =
          assertThrows(
              IllegalArgumentException.class, () -> tooShort.run(m, new NoScaling(), codec, null));
      assertTrue(e.getMessage().contains("length 30 cannot hold a fitted prompt"), e.getMessage());
    }
  }

  @Test
  void sameSeedSameTrials() {
    ModelConfig c = EvalFixtures.config(new NoScaling(), 64);
    PasskeyGrid grid = PasskeyGrid.of(List.of(48), 2, 2).withMaxNewTokens(4);
    try (Decoder m = EvalFixtures.model(c, 2)) {
      List<PasskeyGrid.Trial> a = grid.run(m, new NoScaling(), codec, null).trials();
      List<PasskeyGrid.Trial> b = grid.run(m, new NoScaling(), codec, null).trials();
      for (int i = 0; i < a.size(); i++) {
        assertEquals(a.get(i).prompt(), b.get(i).prompt());
        assertEquals(a.get(i).answerText(), b.get(i).answerText());
      }
      List<PasskeyGrid.Trial> other =
          grid.withSeed(7).run(m, new NoScaling(), codec, null).trials();
      assertTrue(other.get(0).prompt().passkey() != a.get(0).prompt().passkey());
    }
  }

  @Test
  void randomDepthModeDrawsDepthThenKeyFromTheSeedPerLength() {
    ModelConfig c = EvalFixtures.config(new NoScaling(), 64);
    PasskeyGrid grid = PasskeyGrid.of(List.of(30, 60), 0, 3).withMaxNewTokens(2);
    assertTrue(grid.randomDepth());
    try (Decoder m = EvalFixtures.model(c, 3)) {
      PasskeyGrid.Result r = grid.run(m, new NoScaling(), codec, null);
      int i = 0;
      for (int length : List.of(30, 60)) {
        SplittableRandom rng = new SplittableRandom(42);
        for (int t = 0; t < 3; t++) {
          assertEquals(PasskeyPrompt.generate(length, rng), r.trials().get(i++).prompt());
        }
      }
      Table cells = r.table();
      assertEquals(2, cells.rowCount());
      assertTrue(cells.doubleColumn("depth").isMissing(0), "no depth in random mode");
    }
  }

  @Test
  void cachedGenerationEqualsGreedyFullForwardsAcrossTheShortLongSwitch() {
    // L just above the first prompt's length: its answer is generated across the switch
    PasskeyGrid grid = PasskeyGrid.of(List.of(20, 28), 2, 1).withMaxNewTokens(8);
    int first = codec.encode(PasskeyPrompt.atDepth(20, 0, new SplittableRandom(42)).text()).length;
    int original = first + 1 + 3;
    RopeScaling pair =
        LongRopeScaling.of(FactorTable.of(1.5, 2.5, 4, 6), original, 8)
            .withShortFactors(FactorTable.of(1, 1, 1, 1));
    ModelConfig c = EvalFixtures.config(pair, original);
    try (Decoder m = EvalFixtures.model(c, 4)) {
      List<PasskeyGrid.Trial> trials = grid.run(m, pair, codec, null).trials();
      assertEquals(original - 3, trials.get(0).promptTokens());
      for (PasskeyGrid.Trial t : trials) {
        int[] ids = codec.encodeWithBos(t.prompt().text(), c.bosTokenId());
        int[] expected = EvalFixtures.greedyByFullForwards(m, pair, ids, 8);
        assertArrayEquals(expected, m.generate(ids, 8, pair, KvCache.Policy.RECOMPUTE));
        assertEquals(codec.decode(expected), t.answerText());
        assertEquals(PasskeyPrompt.answer(t.answerText()), t.answer());
      }
    }
  }

  @Test
  void scoringCountsTheFirstIntegerOfTheAnswer() {
    // an oracle codec "answers" with the key of the last prompt it encoded
    TextCodec oracle =
        new TextCodec() {
          String last = "";

          @Override
          public int[] encode(String text) {
            last = text;
            return codec.encode(text);
          }

          @Override
          public String decode(int[] ids) {
            String needle = last.split("\n")[2]; // "The pass key is K. ..."
            return " " + PasskeyPrompt.answer(needle) + ". The grass";
          }
        };
    ModelConfig c = EvalFixtures.config(new NoScaling(), 64);
    try (Decoder m = EvalFixtures.model(c, 5)) {
      PasskeyGrid.Result r =
          PasskeyGrid.of(List.of(20), 2, 2)
              .withMaxNewTokens(1)
              .run(m, new NoScaling(), oracle, null);
      assertEquals(1.0, r.accuracy());
      assertEquals(List.of(2, 2), r.table().intColumn("correct").asList());
    }
  }

  @Test
  void anInterruptedThreadCancelsBetweenTrials() {
    ModelConfig c = EvalFixtures.config(new NoScaling(), 64);
    try (Decoder m = EvalFixtures.model(c, 6)) {
      PasskeyGrid grid = PasskeyGrid.of(List.of(20), 1, 5).withMaxNewTokens(1);
      int[] seen = {0};
      CancellationException e =
          assertThrows(
              CancellationException.class,
              () ->
                  grid.run(
                      m,
                      new NoScaling(),
                      codec,
                      (done, total, t) -> {
                        seen[0] = done;
                        if (done == 2) {
                          Thread.currentThread().interrupt();
                        }
                      }));
      assertTrue(Thread.interrupted(), "the flag stays set (and is cleared here)");
      assertEquals(2, seen[0]);
      assertTrue(e.getMessage().contains("2 of 5"), e.getMessage());
    }
  }

  @Test
  void badGridsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> PasskeyGrid.of(List.of(), 2, 1));
    assertThrows(IllegalArgumentException.class, () -> PasskeyGrid.of(List.of(10), 2, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PasskeyGrid(List.of(10), List.of(1.5), 1, 1, 10, KvCache.Policy.FIXED));
    assertEquals(List.of(0.5), PasskeyGrid.evenDepths(1));
    assertEquals(11, PasskeyGrid.evenDepths(11).size());
    assertEquals(0.1, PasskeyGrid.evenDepths(11).get(1), 1e-15);
  }
}
