package io.github.longrope.train;

import io.github.longrope.data.Documents;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training sequences in a deterministic order that a checkpoint can resume: {@code [BOS] + context
 * − 1} consecutive document tokens per text window (non-overlapping windows over every document),
 * plus passkey documents making up a fraction of each epoch; each epoch is a seeded shuffle. A
 * position is (epoch, index): the same seed and position give the same next sequence.
 */
final class Batches {
  /** One sequence source: document d of source s, starting at token offset. */
  record Window(int source, int document, int offset) {}

  private final List<Documents> sources;
  private final int context;
  private final int bos;
  private final long seed;
  private final List<Window> base;
  private List<Window> order;
  private int epoch = -1;

  /** Per passkey document, the answer's token count (null: passkey sequences are scored whole). */
  private final int[] answerTokens;

  /** The index of the passkey source in {@code sources}, or −1. */
  private final int passkeySource;

  Batches(
      List<Documents> text,
      Documents passkey,
      double passkeyFraction,
      int context,
      int bos,
      long seed) {
    this(text, passkey, passkeyFraction, null, context, bos, seed);
  }

  /**
   * @param text the text sources (windows are cut from them)
   * @param passkey passkey documents (one sequence each), or null
   * @param answerTokens per passkey document, its answer's token count, to score the answer only;
   *     null to score whole sequences
   */
  Batches(
      List<Documents> text,
      Documents passkey,
      double passkeyFraction,
      int[] answerTokens,
      int context,
      int bos,
      long seed) {
    if (answerTokens != null && (passkey == null || answerTokens.length != passkey.size())) {
      throw new IllegalArgumentException(
          "answer lengths for "
              + answerTokens.length
              + " passkey sequences, but there are "
              + (passkey == null ? 0 : passkey.size()));
    }
    this.answerTokens = answerTokens;
    this.context = context;
    this.bos = bos;
    this.seed = seed;
    this.sources = new ArrayList<>(text);
    int body = bos >= 0 ? context - 1 : context;
    List<Window> windows = new ArrayList<>();
    for (int s = 0; s < text.size(); s++) {
      Documents docs = text.get(s);
      for (int d = 0; d < docs.size(); d++) {
        int length = docs.length(d);
        // full windows only, except that a document shorter than one window is used whole
        for (int off = 0; off < length; off += body) {
          if (length - off >= body || (off == 0 && length >= 2)) {
            windows.add(new Window(s, d, off));
          }
        }
      }
    }
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("no training document has 2 or more tokens");
    }
    int p = -1;
    if (passkey != null && passkeyFraction > 0) {
      sources.add(passkey);
      p = sources.size() - 1;
      long count = Math.round(windows.size() * passkeyFraction / (1 - passkeyFraction));
      for (long i = 0; i < count; i++) {
        windows.add(new Window(p, (int) (i % passkey.size()), 0));
      }
    }
    this.passkeySource = p;
    this.base = List.copyOf(windows);
  }

  /** Sequences per epoch. */
  int size() {
    return base.size();
  }

  /** The sequence at a global index (epoch = index / size). */
  int[] sequence(long index) {
    Window w = window(index);
    int[] doc = sources.get(w.source()).document(w.document());
    int body = bos >= 0 ? context - 1 : context;
    int n = Math.min(body, doc.length - w.offset());
    int[] seq = new int[n + (bos >= 0 ? 1 : 0)];
    int at = 0;
    if (bos >= 0) {
      seq[at++] = bos;
    }
    System.arraycopy(doc, w.offset(), seq, at, n);
    return seq;
  }

  /**
   * The first position whose next-token prediction the sequence at {@code index} is scored on: 0,
   * or, for a passkey sequence scored on its answer only, the position before the answer's first
   * token (a passkey document always fits its window whole, so its answer ends the sequence).
   *
   * @param length the sequence's length ({@link #sequence}'s)
   */
  int lossFrom(long index, int length) {
    Window w = window(index);
    if (answerTokens == null || w.source() != passkeySource) {
      return 0;
    }
    int a = answerTokens[w.document()];
    if (a >= length) {
      throw new IllegalArgumentException(
          "passkey sequence " + w.document() + ": answer of " + a + " tokens in " + length);
    }
    return length - 1 - a;
  }

  private Window window(long index) {
    int e = (int) (index / base.size());
    if (e != epoch) {
      order = new ArrayList<>(base);
      SplittableRandom r = new SplittableRandom(seed * 1_000_003L + e);
      for (int i = order.size() - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        Window t = order.get(i);
        order.set(i, order.get(j));
        order.set(j, t);
      }
      epoch = e;
    }
    return order.get((int) (index % base.size()));
  }

  /**
   * PoSE positions for a sequence of n tokens reaching a target length (Zhu et al.): two chunks,
   * the second shifted by a random skip so that positions span up to {@code target − 1}; seeded by
   * the sequence index so resume replays them.
   */
  static int[] posePositions(int n, int target, long seed, long index) {
    int[] pos = new int[n];
    SplittableRandom r = new SplittableRandom(seed * 7_919L + index);
    int cut = 1 + r.nextInt(n - 1);
    int skip = r.nextInt(target - n + 1);
    for (int i = 0; i < n; i++) {
      pos[i] = i < cut ? i : i + skip;
    }
    return pos;
  }
}
