package io.github.longrope.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The sliding-window plan of the official perplexity protocol (docs/method.md, "Perplexity"; the
 * official {@code compute_perplexity}), as pure arithmetic so it can be checked against T14.
 *
 * <p>For an evaluation length {@code numTokens}, each window holds {@code m = numTokens − 1}
 * document tokens when a BOS token is prepended ({@code numTokens} otherwise). A document is read
 * up to {@code min(length, maxWindows·stride)} tokens; windows start every {@code stride} tokens
 * and score only the tokens not scored by the previous window. In truncate mode (what search uses)
 * every document is cut to its first m tokens and gives exactly one window. The perplexity is
 * {@code exp} of the mean over all windows of all documents of the window-mean NLL: windows are
 * weighted equally, not by token count.
 */
public final class PerplexityWindows {
  /** The official cap on windows per document ({@code max_sliding_count}). */
  public static final int MAX_WINDOWS = 10;

  private PerplexityWindows() {}

  /**
   * One window: document tokens [begin, end) go to the model (after BOS), and the last {@code
   * scored} of them are targets.
   */
  public record Window(int begin, int end, int scored) {}

  /** The windows of one document. */
  public static List<Window> plan(
      int documentLength, int numTokens, int stride, boolean bos, boolean truncate) {
    if (documentLength < 1) {
      throw new IllegalArgumentException("document length must be >= 1, got " + documentLength);
    }
    int m = bos ? numTokens - 1 : numTokens;
    if (m < 1) {
      throw new IllegalArgumentException(
          "evaluation length " + numTokens + " leaves no room for document tokens");
    }
    if (!truncate && stride < 1) {
      throw new IllegalArgumentException("stride must be >= 1, got " + stride);
    }
    if (truncate) {
      int end = Math.min(documentLength, m);
      return List.of(new Window(0, end, end));
    }
    int seqLen = (int) Math.min(documentLength, (long) MAX_WINDOWS * stride);
    List<Window> windows = new ArrayList<>();
    int prevEnd = 0;
    for (int begin = 0; begin < seqLen; begin += stride) {
      int end = Math.min(begin + m, seqLen);
      windows.add(new Window(begin, end, end - prevEnd));
      prevEnd = end;
      if (end == seqLen) {
        break;
      }
    }
    return windows;
  }

  /** exp(mean of window-mean NLLs). */
  public static double perplexity(double[] windowMeanNll) {
    if (windowMeanNll.length == 0) {
      throw new IllegalArgumentException("no windows: no document was long enough to evaluate");
    }
    double sum = 0;
    for (double v : windowMeanNll) {
      sum += v;
    }
    return Math.exp(sum / windowMeanNll.length);
  }
}
