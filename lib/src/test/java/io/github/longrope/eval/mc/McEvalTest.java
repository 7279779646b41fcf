package io.github.longrope.eval.mc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.io.HfModel;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.model.TorchReference;
import io.github.longrope.rope.NoScaling;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-choice log-likelihoods against the independent PyTorch reference's logits, few-shot contexts,
 * and the metrics' arithmetic.
 */
class McEvalTest extends io.github.longrope.eval.CodecCase {
  @TempDir static Path work;

  static ModelConfig config() {
    return TinyModelsAccess.llama(new NoScaling(), 512).toBuilder().shape(32000, 32, 48, 2).build();
  }

  @Test
  void logLikelihoodsMatchThePyTorchReference() throws Exception {
    TorchReference.require();
    Path dir = work.resolve("model");
    ModelConfig c = config();
    HfModel.write(dir, c, TinyModelsAccess.weights(c, 21), SafetensorsFile.Dtype.F32);
    List<McItem> items = McTask.ARC.read(McTaskTest.fixture("arc.jsonl"));
    try (Decoder m = HfModel.load(dir)) {
      for (int shots : new int[] {0, 1}) {
        McEval eval = new McEval(shots, 5, 1);
        McResult r = eval.run(m, new NoScaling(), codec, items, null, null);
        McEval.ItemScore s = r.items().get(0);
        McItem item = items.get(0);
        String context = eval.context(item, 0, items, null);
        if (shots == 0) {
          assertEquals("Question: Which of these is a source of light?\nAnswer:", context);
        } else {
          assertTrue(context.endsWith("\n\n" + item.query()) && context.startsWith("Question: "));
          assertEquals(1, context.split("\nAnswer: ", -1).length - 1, "one solved shot");
        }
        double[] expected = new double[item.choices().size()];
        for (int ch = 0; ch < expected.length; ch++) {
          int[] ctx = tokenizer.encode(context);
          int[] whole = tokenizer.encode(context + " " + item.choices().get(ch));
          assertTrue(Arrays.equals(ctx, Arrays.copyOf(whole, ctx.length)), "clean split");
          int[] ids = new int[whole.length + 1];
          ids[0] = c.bosTokenId();
          System.arraycopy(whole, 0, ids, 1, whole.length);
          float[] logits = TorchReference.logits(dir, ids, null, c.vocabSize(), work);
          for (int t = ctx.length; t < whole.length; t++) {
            expected[ch] += TorchReference.logSoftmax(logits, t, c.vocabSize(), ids[t + 1]);
          }
          assertEquals(whole.length - ctx.length, s.tokens()[ch]);
          assertEquals(expected[ch], s.logLikelihoods()[ch], 1e-3, "shots " + shots + " ch " + ch);
        }
        int best = 0;
        for (int ch = 1; ch < expected.length; ch++) {
          best = expected[ch] > expected[best] ? ch : best;
        }
        assertEquals(best, s.predicted());
        assertEquals(best == item.gold() ? 1.0 : 0.0, r.accuracy());
      }
    }
  }

  @Test
  void metricsFromLogLikelihoods() {
    McItem item = new McItem("x", "", "q", List.of("aaaa", "b", "cc"), List.of(0, 2));
    // sums: b wins; per character: aaaa = -0.5, b = -1, cc = -0.75 → aaaa wins
    McEval.ItemScore s =
        McEval.itemScore(item, new double[] {-2, -1, -1.5}, new int[] {1, 1, 1}, 3);
    assertEquals(1, s.predicted());
    assertEquals(0, s.predictedNorm());
    assertTrue(!s.correct() && s.correctNorm());
    double z = Math.exp(-2) + Math.exp(-1) + Math.exp(-1.5);
    assertEquals((Math.exp(-2) + Math.exp(-1.5)) / z, s.pTrue(), 1e-12);
    assertEquals(Math.sqrt(0.25 * 4 / 3 / 4), McResult.stderr(new double[] {1, 0, 1, 0}), 1e-12);
    assertTrue(Double.isNaN(McResult.stderr(new double[] {1})));
  }

  @Test
  void fewShotContextsAreSeededDistinctAndExcludeTheItem() throws Exception {
    List<McItem> items = McTask.MMLU.read(McTaskTest.fixture("mmlu.jsonl"));
    McEval eval = new McEval(3, 9, 0);
    String ctx = eval.context(items.get(2), 2, items, null);
    assertEquals(ctx, eval.context(items.get(2), 2, items, null));
    assertTrue(ctx.startsWith(items.get(2).description()));
    assertTrue(ctx.endsWith(items.get(2).query()));
    for (int i : new int[] {0, 1, 3}) {
      assertTrue(ctx.contains(items.get(i).solved() + "\n\n"), "shot " + i);
    }
    assertEquals(1, ctx.split("sodium", -1).length - 1, "the item itself is not a shot");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new McEval(4, 1, 0).context(items.get(0), 0, items, null));
    assertTrue(e.getMessage().contains("only 3"), e.getMessage());
  }

  @Test
  void harnessSplitMovesTrailingSpaces() {
    McEval.Split s = McEval.split(codec, "Answer: ", "yes");
    assertEquals(codec.encode("Answer:").length, s.contextTokens());
    assertTrue(Arrays.equals(codec.encode("Answer: yes"), s.tokens()));
  }
}
