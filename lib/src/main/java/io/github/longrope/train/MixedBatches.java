package io.github.longrope.train;

import io.github.longrope.data.Documents;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The sequences of mixed context window training (LongRoPE2): the long windows of {@link Batches}
 * and <em>packs</em>, sequences of up to {@code context} tokens made of short documents placed one
 * after the other, each scored only on itself (the trainer runs them under a block-diagonal causal
 * mask with positions restarting per document, {@code model.PackedPass}).
 *
 * <p>Short documents are the documents of the short sources cut into pieces of at most {@code
 * shortLength} tokens ({@code [BOS] + shortLength − 1} tokens of text), packed greedily in order.
 * Each epoch holds every long window once and {@code round(long × f / (1 − f))} packs (cycling
 * through them when there are fewer), in a seeded shuffle: the same seed and index give the same
 * sequence, so a resumed run replays them.
 */
final class MixedBatches {
  /** One training sequence: the ids, the document starts of a pack (null: a long window). */
  record Item(int[] ids, int[] starts, int lossFrom) {
    boolean packed() {
      return starts != null;
    }
  }

  /** A piece of a short document: {@code length} tokens of document d of source s at offset. */
  record Piece(int source, int document, int offset, int length) {}

  private final Batches longWindows;
  private final List<Documents> shortSources;
  private final List<List<Piece>> packs;
  private final int packsPerEpoch;
  private final int bos;
  private final long seed;
  private int epoch = -1;
  private int[] order;

  /**
   * @param longWindows the long sequences
   * @param shortSources token files of the short documents
   * @param shortLength longest piece, BOS included
   * @param context longest pack
   * @param shortFraction packs per epoch over all sequences, in (0, 1)
   */
  MixedBatches(
      Batches longWindows,
      List<Documents> shortSources,
      int shortLength,
      int context,
      int bos,
      double shortFraction,
      long seed) {
    if (shortLength < 2 || shortLength > context) {
      throw new IllegalArgumentException(
          "short length must be in [2, context = " + context + "], got " + shortLength);
    }
    this.longWindows = longWindows;
    this.shortSources = List.copyOf(shortSources);
    this.bos = bos;
    this.seed = seed;
    this.packs = pack(shortSources, shortLength, context, bos >= 0);
    if (packs.isEmpty()) {
      throw new IllegalArgumentException("no short document has 2 or more tokens");
    }
    this.packsPerEpoch =
        (int) Math.max(1, Math.round(longWindows.size() * shortFraction / (1 - shortFraction)));
  }

  /** The long window at a global index of {@code batches} (the trainer without mixed windows). */
  static Item longWindow(Batches batches, long index) {
    int[] ids = batches.sequence(index);
    return new Item(ids, null, batches.lossFrom(index, ids.length));
  }

  /** The packs of a set of sources: pieces of ≤ shortLength tokens, ≤ context per pack. */
  static List<List<Piece>> pack(
      List<Documents> sources, int shortLength, int context, boolean bos) {
    int body = bos ? shortLength - 1 : shortLength;
    List<List<Piece>> out = new ArrayList<>();
    List<Piece> current = new ArrayList<>();
    int used = 0;
    for (int s = 0; s < sources.size(); s++) {
      Documents docs = sources.get(s);
      for (int d = 0; d < docs.size(); d++) {
        int length = docs.length(d);
        for (int off = 0; off < length; off += body) {
          int n = Math.min(body, length - off);
          int tokens = n + (bos ? 1 : 0);
          if (tokens < 2) {
            continue; // nothing to predict
          }
          if (used + tokens > context) {
            out.add(current);
            current = new ArrayList<>();
            used = 0;
          }
          current.add(new Piece(s, d, off, n));
          used += tokens;
        }
      }
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /** Sequences per epoch. */
  int size() {
    return longWindows.size() + packsPerEpoch;
  }

  /** Packs in the plan (an epoch may use fewer or cycle through them). */
  int packs() {
    return packs.size();
  }

  /** The sequence at a global index. */
  Item item(long index) {
    int e = (int) (index / size());
    if (e != epoch) {
      order = new int[size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      SplittableRandom r = new SplittableRandom(seed * 1_000_033L + e);
      for (int i = order.length - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      epoch = e;
    }
    int slot = order[(int) (index % size())];
    int longs = longWindows.size();
    if (slot < longs) {
      long at = (long) e * longs + slot;
      int[] ids = longWindows.sequence(at);
      return new Item(ids, null, longWindows.lossFrom(at, ids.length));
    }
    int p = (int) (((long) e * packsPerEpoch + slot - longs) % packs.size());
    return packed(packs.get(p));
  }

  private Item packed(List<Piece> pieces) {
    int total = 0;
    for (Piece piece : pieces) {
      total += piece.length() + (bos >= 0 ? 1 : 0);
    }
    int[] ids = new int[total];
    int[] starts = new int[pieces.size()];
    int at = 0;
    for (int k = 0; k < pieces.size(); k++) {
      Piece piece = pieces.get(k);
      starts[k] = at;
      if (bos >= 0) {
        ids[at++] = bos;
      }
      int[] doc = shortSources.get(piece.source()).document(piece.document());
      System.arraycopy(doc, piece.offset(), ids, at, piece.length());
      at += piece.length();
    }
    return new Item(ids, starts, 0);
  }
}
