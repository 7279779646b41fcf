package io.github.longrope.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Documents cut into consecutive pieces of a fixed length (a shorter tail is dropped), interleaved
 * round robin (piece 0 of every document, then piece 1, …): more fitness samples from a few long
 * documents, drawn from all of them first. Not in the official protocol, which takes the first L′ −
 * 1 tokens of each document.
 */
public final class SplitDocuments implements Documents {
  private final Documents source;
  private final int length;
  private final List<int[]> pieces = new ArrayList<>(); // {document, offset}

  public SplitDocuments(Documents source, int length) {
    if (length < 1) {
      throw new IllegalArgumentException("piece length must be >= 1, got " + length);
    }
    this.source = source;
    this.length = length;
    int[] counts = new int[source.size()];
    int most = 0;
    for (int d = 0; d < counts.length; d++) {
      counts[d] = source.length(d) / length;
      most = Math.max(most, counts[d]);
    }
    for (int k = 0; k < most; k++) {
      for (int d = 0; d < counts.length; d++) {
        if (k < counts[d]) {
          pieces.add(new int[] {d, k * length});
        }
      }
    }
  }

  @Override
  public int size() {
    return pieces.size();
  }

  @Override
  public int length(int i) {
    return length;
  }

  @Override
  public int[] document(int i) {
    int[] p = pieces.get(i);
    int[] doc = source.document(p[0]);
    return Arrays.copyOfRange(doc, p[1], p[1] + length);
  }

  /**
   * {@code n} pieces of {@code length} tokens spread evenly through {@code source}'s pieces (all of
   * them when there are fewer): held-out text sampled across a whole book rather than from its
   * start. Every source document must hold at least one piece.
   */
  public static Documents evenly(Documents source, int length, int n) {
    return new SplitDocuments(source, length).spread(n);
  }

  /** {@code n} of these pieces spread evenly through them (see {@link #evenly}). */
  public Documents spread(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("pieces must be >= 1, got " + n);
    }
    if (size() == 0) {
      throw new IllegalArgumentException(
          "no document holds " + length + " tokens, so no piece of that length can be cut");
    }
    int take = Math.min(n, size());
    List<int[]> out = new ArrayList<>(take);
    for (int k = 0; k < take; k++) {
      out.add(document((int) ((long) k * size() / take)));
    }
    return new InMemoryDocuments(out);
  }
}
