package io.github.longrope.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.data.Documents;
import io.github.longrope.data.InMemoryDocuments;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.model.TorchReference;
import io.github.longrope.rope.LinearScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol end to end against an independent computation: the PyTorch reference's logits for
 * each window's {@code [BOS] + doc[begin:end]}, reduced to window-mean NLLs here, give the same
 * perplexity as {@link Perplexity#evaluate}.
 */
class PerplexityTest {
  @TempDir Path work;

  @Test
  void slidingAndTruncatedPerplexityMatchTheReference() {
    TorchReference.require();
    Path dir = work.resolve("llama");
    TorchReference.script("make", "--family", "llama", "--out", dir.toString(), "--seed", "3");
    ModelConfig c = HfModelConfig.read(dir).config();
    SplittableRandom r = new SplittableRandom(5);
    List<int[]> raw = new ArrayList<>();
    for (int len : new int[] {70, 33, 12}) {
      int[] d = new int[len];
      for (int i = 0; i < len; i++) {
        d[i] = 3 + r.nextInt(c.vocabSize() - 3);
      }
      raw.add(d);
    }
    Documents docs = new InMemoryDocuments(raw);
    RopeScaling rope = new LinearScaling(2);
    String ropeJson = "{\"rope_type\":\"linear\",\"factor\":2.0}";
    try (Decoder m = HfModel.load(dir, c)) {
      for (boolean truncate : new boolean[] {false, true}) {
        Perplexity p = new Perplexity(25, 10, 2, 20, truncate);
        Perplexity.Result got = p.evaluate(m, rope, docs, null);
        double sum = 0;
        int windows = 0;
        for (int d : p.eligible(docs)) {
          int[] doc = docs.document(d);
          for (PerplexityWindows.Window w :
              PerplexityWindows.plan(doc.length, 25, 10, true, truncate)) {
            int[] input = new int[1 + w.end() - w.begin()];
            input[0] = c.bosTokenId();
            System.arraycopy(doc, w.begin(), input, 1, w.end() - w.begin());
            float[] logits = TorchReference.logits(dir, input, ropeJson, c.vocabSize(), work);
            double nll = 0;
            for (int t = input.length - 1 - w.scored(); t < input.length - 1; t++) {
              nll += -TorchReference.logSoftmax(logits, t, c.vocabSize(), input[t + 1]);
            }
            sum += nll / w.scored();
            windows++;
          }
        }
        assertEquals(windows, got.windows());
        assertEquals(2, got.documents(), "the 12-token document is below min tokens");
        assertEquals(Math.exp(sum / windows), got.ppl(), 1e-4 * got.ppl(), "truncate=" + truncate);
      }
    }
  }

  @Test
  void idsOutsideTheVocabularyAreNamedWithTheirPlace() {
    ModelConfig c = TinyModelsAccess.llama(new NoScaling(), 16);
    int[] doc = TinyModelsAccess.ids(c, 40, 1);
    doc[17] = c.vocabSize() + 5;
    Documents docs = new InMemoryDocuments(List.of(new int[] {3, 4, 5}, doc));
    try (Decoder m = Decoder.load(c, TinyModelsAccess.weights(c, 1))) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new Perplexity(16, 8, 0, 10, false).evaluate(m, new NoScaling(), docs, null));
      assertTrue(
          e.getMessage().contains("document 1, token 17") && e.getMessage().contains("vocabulary"),
          e.getMessage());
    }
  }

  @Test
  void badSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Perplexity(1, 10, 0, 0, false));
    assertThrows(IllegalArgumentException.class, () -> new Perplexity(10, 0, 0, 0, false));
  }
}
