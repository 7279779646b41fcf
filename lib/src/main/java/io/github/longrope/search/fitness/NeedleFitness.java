package io.github.longrope.search.fitness;

import io.github.longrope.data.Documents;
import io.github.longrope.data.PasskeyMixture;
import io.github.longrope.model.Decoder;
import io.github.longrope.search.Candidate;
import io.github.longrope.search.RopeTarget;
import io.github.longrope.search.StagedFitness;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * LongRoPE2's needle-driven perplexity (docs/method.md, "Needle-driven fitness"): a retrieval item
 * is planted at the start of a long document and asked for at its end, and the loss is taken on the
 * answer tokens only, so the fitness measures long-range retrieval rather than local fluency.
 *
 * <p>Each item is {@code [BOS] + needle + document filler + question + answer}, exactly L′ tokens:
 * the needle is the passkey sentence of the official passkey test ({@code "The pass key is K.
 * Remember it. K is the pass key."}), the question {@code "What is the pass key? The pass key is"},
 * the answer {@code " K."} (as the passkey training mixture writes it). The question and the answer
 * are tokenized together, so the answer tokens are those the model sees in context. Keys come from
 * a seeded random source, documents are the first eligible ones: items are fixed for the whole
 * search. Fitness = exp(mean over items of the mean answer-token NLL).
 */
public final class NeedleFitness implements StagedFitness {
  static final String QUESTION = "What is the pass key? The pass key is";

  /** One retrieval item: the full input and where its answer starts. */
  public record Item(int[] ids, int answerStart, int passkey) {}

  private final Decoder model;
  private final List<Item> items;
  private final RopeTarget target;

  public NeedleFitness(Decoder model, List<Item> items, RopeTarget target) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("needle fitness needs at least one item");
    }
    this.model = model;
    this.items = List.copyOf(items);
    this.target = target;
  }

  /**
   * Builds {@code samples} items of {@code length} tokens from the first documents long enough to
   * fill them.
   *
   * @param encode text to token ids, no special tokens
   * @param bos the BOS id, or −1 for none
   */
  public static List<Item> items(
      Documents docs, Function<String, int[]> encode, int bos, int length, int samples, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Item> out = new ArrayList<>();
    for (int d = 0; d < docs.size() && out.size() < samples; d++) {
      int key = PasskeyMixture.drawKey(rng);
      int[] needle =
          encode.apply("The pass key is " + key + ". Remember it. " + key + " is the pass key.\n");
      int[] question = encode.apply("\n" + QUESTION);
      int[] withAnswer = encode.apply("\n" + QUESTION + " " + key + ".");
      int common = 0;
      while (common < question.length
          && common < withAnswer.length
          && question[common] == withAnswer[common]) {
        common++;
      }
      if (common == withAnswer.length) {
        throw new IllegalArgumentException("the tokenizer gives no answer tokens for key " + key);
      }
      int head = bos >= 0 ? 1 : 0;
      int filler = length - head - needle.length - withAnswer.length;
      if (filler < 1) {
        throw new IllegalArgumentException(
            "needle length " + length + " is too short for the needle and question");
      }
      if (docs.length(d) < filler) {
        continue;
      }
      int[] doc = docs.document(d);
      int[] ids = new int[length];
      int p = 0;
      if (bos >= 0) {
        ids[p++] = bos;
      }
      System.arraycopy(needle, 0, ids, p, needle.length);
      p += needle.length;
      System.arraycopy(doc, 0, ids, p, filler);
      p += filler;
      System.arraycopy(withAnswer, 0, ids, p, withAnswer.length);
      out.add(new Item(ids, length - (withAnswer.length - common), key));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "no document is long enough for a " + length + "-token needle item");
    }
    return out;
  }

  public List<Item> items() {
    return items;
  }

  @Override
  public int stages() {
    return items.size();
  }

  @Override
  public Stage stage(Candidate candidate, int index) {
    if (Thread.interrupted()) {
      throw new CancellationException("search cancelled during a needle evaluation");
    }
    Item item = items.get(index);
    double[] nll = model.nll(item.ids(), target.scaling(candidate), item.answerStart() - 1);
    double s = 0;
    for (double v : nll) {
      s += v;
    }
    return new Stage(s / nll.length, item.ids().length);
  }
}
