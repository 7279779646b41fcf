package io.github.longrope.search.fitness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.data.Documents;
import io.github.longrope.data.InMemoryDocuments;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.model.TorchReference;
import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.search.Candidate;
import io.github.longrope.search.RopeTarget;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Needle-driven perplexity: items planted at the start, loss on the answer tokens only. */
class NeedleFitnessTest {
  /** A toy tokenizer: one id per character (3 + code mod 40), as a word-level one would. */
  static final Function<String, int[]> ENCODE = t -> t.chars().map(ch -> 3 + ch % 40).toArray();

  @Test
  void itemsHaveTheTargetLengthTheNeedleFirstAndTheAnswerLast() {
    ModelConfig c = TinyModelsAccess.llama(new NoScaling(), 16);
    Documents docs =
        new InMemoryDocuments(
            List.of(
                TinyModelsAccess.ids(c, 50, 1),
                TinyModelsAccess.ids(c, 500, 2),
                TinyModelsAccess.ids(c, 400, 3)));
    List<NeedleFitness.Item> items = NeedleFitness.items(docs, ENCODE, 1, 200, 5, 9);
    assertEquals(2, items.size(), "the 50-token document is too short to fill 200 tokens");
    for (NeedleFitness.Item item : items) {
      assertEquals(200, item.ids().length);
      assertEquals(1, item.ids()[0], "BOS");
      int[] needle = ENCODE.apply("The pass key is " + item.passkey() + ". Remember it. ");
      assertArrayEquals(needle, Arrays.copyOfRange(item.ids(), 1, 1 + needle.length));
      int[] answer = ENCODE.apply(" " + item.passkey() + ".");
      assertArrayEquals(answer, Arrays.copyOfRange(item.ids(), item.answerStart(), 200));
    }
    assertEquals(
        items.get(0).passkey(),
        NeedleFitness.items(docs, ENCODE, 1, 200, 5, 9).get(0).passkey(),
        "seeded");
    assertThrows(
        IllegalArgumentException.class, () -> NeedleFitness.items(docs, ENCODE, 1, 2000, 5, 9));
  }

  @Test
  void fitnessIsTheAnswerTokenPerplexity() {
    ModelConfig c = TinyModelsAccess.llama(new NoScaling(), 16);
    Documents docs =
        new InMemoryDocuments(
            List.of(TinyModelsAccess.ids(c, 300, 4), TinyModelsAccess.ids(c, 300, 5)));
    List<NeedleFitness.Item> items = NeedleFitness.items(docs, ENCODE, 1, 128, 2, 3);
    RopeTarget target = RopeTarget.longFactors(16, 8, new MagnitudeScaling.Su());
    Candidate cand = new Candidate(new double[] {1, 2, 4, 8}, 0, 8);
    try (Decoder m = Decoder.load(c, TinyModelsAccess.weights(c, 6))) {
      double got = new NeedleFitness(m, items, target).evaluate(cand);
      double sum = 0;
      for (NeedleFitness.Item item : items) {
        float[] logits = m.logits(item.ids(), target.scaling(cand));
        int v = c.vocabSize();
        double nll = 0;
        int n = 0;
        for (int t = item.answerStart() - 1; t < item.ids().length - 1; t++) {
          nll -= TorchReference.logSoftmax(logits, t, v, item.ids()[t + 1]);
          n++;
        }
        sum += nll / n;
      }
      assertEquals(Math.exp(sum / items.size()), got, 1e-4 * got);
      assertTrue(got > 1);
    }
  }
}
