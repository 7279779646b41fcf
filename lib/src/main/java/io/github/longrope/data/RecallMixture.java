package io.github.longrope.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Synthetic in-context recall sequences for a training mixture: a span of random tokens, a gap of
 * other random tokens, then the span again, so every token of the repeat is predictable only by
 * finding its earlier occurrence — the induction-head pattern that passkey retrieval needs.
 *
 * <p>Why it exists: the bundled model, pretrained on 2.4 M tokens, had no in-context copying at all
 * (a repeated random span was scored no better the second time), and passkey sequences alone teach
 * it slowly: their in-needle repeat ("K. Remember it. K") is six tokens back, which a fixed-offset
 * head learns, while the answer needs a content lookup across the filler. Here the span length and
 * the gap vary per sequence, so only a content-based lookup predicts the repeat, and every sequence
 * has 20–80 copy targets instead of a passkey's 5.
 *
 * <p>Per sequence the RNG (SplittableRandom(seed)) draws the span length n uniform in [minSpan,
 * maxSpan], the gap uniform in [0, length − 1 − 2n], then n span tokens and the gap tokens, each
 * uniform in [firstId, vocabSize): ids below firstId (special and byte-fallback tokens) never
 * occur. No text is involved: the token ids are the data.
 *
 * @param count sequences
 * @param length the trainer's window, BOS included: sequences have at most length − 1 tokens
 * @param minSpan shortest repeated span
 * @param maxSpan longest repeated span, at most (length − 1) / 2
 * @param firstId smallest token id drawn
 * @param vocabSize ids are below this
 * @param seed RNG seed
 */
public record RecallMixture(
    int count, int length, int minSpan, int maxSpan, int firstId, int vocabSize, long seed) {

  /** Sentencepiece vocabularies: 3 special tokens, then 256 byte-fallback tokens. */
  public static final int FIRST_ID = 259;

  public RecallMixture {
    if (count < 1) {
      throw new IllegalArgumentException("recall count must be >= 1, got " + count);
    }
    if (minSpan < 1 || maxSpan < minSpan) {
      throw new IllegalArgumentException(
          "recall spans must satisfy 1 <= min <= max, got [" + minSpan + ", " + maxSpan + "]");
    }
    if (2 * maxSpan > length - 1) {
      throw new IllegalArgumentException(
          "recall length "
              + length
              + " cannot hold a span of "
              + maxSpan
              + " twice (with BOS): use a longer window or a shorter span");
    }
    if (firstId < 0 || vocabSize - firstId < 2) {
      throw new IllegalArgumentException(
          "recall token ids [" + firstId + ", " + vocabSize + ") hold fewer than 2 tokens");
    }
  }

  /** The defaults for a window: spans 20–80 (or up to a quarter of the window), ids from 259. */
  public static RecallMixture of(int count, int length, int vocabSize, long seed) {
    int max = Math.min(80, (length - 1) / 4);
    return new RecallMixture(
        count, length, Math.max(1, Math.min(20, max)), Math.max(1, max), FIRST_ID, vocabSize, seed);
  }

  /** The sequences, seeded. */
  public List<int[]> generate() {
    SplittableRandom r = new SplittableRandom(seed);
    List<int[]> out = new ArrayList<>(count);
    int ids = vocabSize - firstId;
    for (int i = 0; i < count; i++) {
      int n = minSpan + r.nextInt(maxSpan - minSpan + 1);
      int gap = r.nextInt(length - 1 - 2 * n + 1);
      int[] seq = new int[2 * n + gap];
      for (int j = 0; j < n + gap; j++) {
        seq[j] = firstId + r.nextInt(ids);
      }
      System.arraycopy(seq, 0, seq, n + gap, n);
      out.add(seq);
    }
    return out;
  }

  /** Writes {@code PREFIX.bin/.idx}. */
  public static void write(Path prefix, List<int[]> sequences) {
    TokenFile.write(prefix, new InMemoryDocuments(sequences));
  }

  /** The dataset folder's README (deterministic for the same parameters). */
  public String readme(List<int[]> sequences) {
    long tokens = sequences.stream().mapToLong(s -> s.length).sum();
    return String.format(
        Locale.ROOT,
        "# recall%n%n"
            + "Synthetic in-context recall sequences for a training mixture: a span of random"
            + " token ids, a gap of other random ids, then the same span again (see"
            + " `data.RecallMixture`). Only a content-based lookup of the earlier occurrence"
            + " predicts the repeat, the pattern passkey retrieval needs; no text is involved.%n%n"
            + "| parameter | value |%n|---|---|%n"
            + "| sequences | %d |%n"
            + "| window (incl. BOS) | %d |%n"
            + "| span | %d to %d tokens |%n"
            + "| token ids | [%d, %d) |%n"
            + "| seed | %d |%n"
            + "| total tokens | %s |%n%n"
            + "Files (git-ignored): `data/train.bin` + `data/train.idx`.%n%n"
            + "Rebuild: `./longrope data prepare recall --count %d --length %d --seed %d`%n",
        count,
        length,
        minSpan,
        maxSpan,
        firstId,
        vocabSize,
        seed,
        DatasetReadme.num(tokens),
        count,
        length,
        seed);
  }
}
