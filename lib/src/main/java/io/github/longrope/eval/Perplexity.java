package io.github.longrope.eval;

import io.github.longrope.data.Documents;
import io.github.longrope.model.Decoder;
import io.github.longrope.rope.RopeScaling;
import java.util.ArrayList;
import java.util.List;

/**
 * Long-context perplexity exactly as the official protocol (docs/method.md, "Perplexity"):
 * documents with at least {@code minTokens} tokens, the first {@code samples} of them; per document
 * the window plan of {@link PerplexityWindows}; each window's input is {@code [BOS] +
 * doc[begin:end]} (BOS when the model has one) and its loss the mean NLL of its scored tokens; the
 * result is exp of the mean of window losses over all documents.
 *
 * @param length evaluation length (tokens per window including BOS)
 * @param stride sliding-window stride (ignored in truncate mode)
 * @param samples documents to use (≤ 0: all eligible)
 * @param minTokens skip shorter documents (the official {@code dataset_min_tokens})
 */
public record Perplexity(int length, int stride, int samples, int minTokens, boolean truncate) {

  public Perplexity {
    if (length < 2) {
      throw new IllegalArgumentException("evaluation length must be >= 2, got " + length);
    }
    if (!truncate && stride < 1) {
      throw new IllegalArgumentException("stride must be >= 1, got " + stride);
    }
  }

  /** One evaluated length. */
  public record Result(
      int length, double ppl, long tokens, int windows, int documents, double seconds) {}

  /** Progress callback: windows done of total. */
  public interface Listener {
    void windowDone(int done, int total);
  }

  /** The documents that qualify, in order. */
  public List<Integer> eligible(Documents docs) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < docs.size() && (samples <= 0 || out.size() < samples); i++) {
      if (docs.length(i) >= Math.max(1, minTokens)) {
        out.add(i);
      }
    }
    return out;
  }

  /** Number of windows {@link #evaluate} will run (for progress and ETA). */
  public int windowCount(Documents docs, boolean bos) {
    int n = 0;
    for (int i : eligible(docs)) {
      n += PerplexityWindows.plan(docs.length(i), length, stride, bos, truncate).size();
    }
    return n;
  }

  /**
   * A token id outside the model's vocabulary, with its document and position; the caller that
   * knows which file the documents came from adds its name ({@code PerplexityJob}).
   */
  public static final class OutOfVocabulary extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    OutOfVocabulary(String message) {
      super(message);
    }
  }

  /**
   * Token ids the model has no embedding for mean the data was tokenized for another model. The
   * decoder refuses them too, but only the window's place in its document tells a user where to
   * look; only the tokens a window reads are checked, as before.
   */
  private static void requireInVocabulary(int[] doc, int d, PerplexityWindows.Window w, int vocab) {
    for (int i = w.begin(); i < w.end(); i++) {
      if (doc[i] < 0 || doc[i] >= vocab) {
        throw new OutOfVocabulary(
            "document "
                + d
                + ", token "
                + i
                + ": id "
                + doc[i]
                + " is outside the model's vocabulary [0, "
                + vocab
                + "); was the data tokenized with this model's tokenizer?");
      }
    }
  }

  /**
   * One window's model input and the index of its first scored prediction.
   *
   * @param document the document's index
   */
  public record WindowInput(int document, int[] input, int from) {}

  /**
   * The inputs of every window, in evaluation order, as {@link #evaluate} runs them (a staged
   * fitness evaluates them one by one); the same checks as {@link #evaluate}.
   */
  public List<WindowInput> inputs(Decoder model, Documents docs) {
    int bosId = model.config().bosTokenId();
    boolean bos = bosId >= 0;
    List<Integer> chosen = requireEligible(docs);
    List<WindowInput> out = new ArrayList<>();
    int longest = 0;
    for (int d : chosen) {
      int[] doc = docs.document(d);
      for (PerplexityWindows.Window w :
          PerplexityWindows.plan(doc.length, length, stride, bos, truncate)) {
        requireInVocabulary(doc, d, w, model.config().vocabSize());
        int[] input = input(doc, w, bosId);
        if (input.length < 2) {
          continue;
        }
        longest = Math.max(longest, input.length);
        out.add(new WindowInput(d, input, Math.max(0, input.length - 1 - w.scored())));
      }
    }
    requireLongest(longest);
    return out;
  }

  /** The mean NLL of a window's scored tokens: its loss. */
  public static double windowLoss(Decoder model, RopeScaling rope, int[] input, int from) {
    return meanLoss(model.nll(input, rope, from));
  }

  /** A window's loss from its per-token NLLs: their mean, summed in order. */
  public static double meanLoss(double[] nll) {
    double sum = 0;
    for (double v : nll) {
      sum += v;
    }
    return sum / nll.length;
  }

  private static int[] input(int[] doc, PerplexityWindows.Window w, int bosId) {
    int offset = bosId >= 0 ? 1 : 0;
    int[] input = new int[offset + w.end() - w.begin()];
    if (bosId >= 0) {
      input[0] = bosId;
    }
    System.arraycopy(doc, w.begin(), input, offset, w.end() - w.begin());
    return input;
  }

  private List<Integer> requireEligible(Documents docs) {
    List<Integer> chosen = eligible(docs);
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException(
          "no document has at least "
              + Math.max(1, minTokens)
              + " tokens (of "
              + docs.size()
              + ")");
    }
    return chosen;
  }

  private void requireLongest(int longest) {
    if (longest < length) {
      // a row labelled with a length none of its windows reached would be a wrong result
      throw new IllegalArgumentException(
          "evaluation length "
              + length
              + ": no window reaches it (the longest is "
              + longest
              + " tokens: the documents are shorter); give a length up to "
              + longest
              + ", or longer documents");
    }
  }

  public Result evaluate(Decoder model, RopeScaling rope, Documents docs, Listener listener) {
    long t0 = System.nanoTime();
    // the windows and their checks (vocabulary, a length some window reaches) before any forward
    List<WindowInput> windows = inputs(model, docs);
    int total = windowCount(docs, model.config().bosTokenId() >= 0);
    List<Double> losses = new ArrayList<>();
    long scored = 0;
    for (WindowInput w : windows) {
      losses.add(windowLoss(model, rope, w.input(), w.from()));
      scored += w.input().length - 1 - w.from();
      if (listener != null) {
        listener.windowDone(losses.size(), total);
      }
    }
    double[] l = losses.stream().mapToDouble(Double::doubleValue).toArray();
    return new Result(
        length,
        PerplexityWindows.perplexity(l),
        scored,
        l.length,
        eligible(docs).size(),
        (System.nanoTime() - t0) / 1e9);
  }
}
