package io.github.longrope.eval.mc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * A held-out cloze set built from evaluation texts: "pick the true next sentence among 4", written
 * in the HellaSwag layout so that {@link McTask#HELLASWAG} scores it. It measures short-context
 * ability (contexts are a few sentences, far below the original length), e.g. to show that a
 * short/long factor pair recovers what long factors alone lose.
 *
 * <pre>{@code
 * List<Cloze> items = new ClozeBuilder(200, 1, 4, 4).build(texts);
 * ClozeBuilder.write(items, Path.of("cloze-books.jsonl"));
 * }</pre>
 *
 * <p>Texts are split into sentences (whitespace collapsed; a sentence ends at {@code . ! ?},
 * optionally followed by a closing quote or bracket, before white space and an upper-case letter,
 * quote or bracket; not after a title such as "Mr." or an initial). Sentences of 20–300 characters
 * with a letter are usable. An item takes a usable sentence with {@code contextSentences} sentences
 * before it in the same text; the context is those sentences, the true ending the sentence; the
 * distractors are other usable sentences of the same pool, from another text or at least 50
 * sentences away, with a length within a factor 2 of the true one, all distinct. The endings are
 * shuffled. Everything is drawn from {@code SplittableRandom(seed)}, so the set is reproducible.
 *
 * @param count items
 * @param seed RNG seed
 * @param contextSentences sentences of context before the true ending
 * @param choices endings per item (the true one included)
 */
public record ClozeBuilder(int count, long seed, int contextSentences, int choices) {
  static final int MIN_CHARS = 20;
  static final int MAX_CHARS = 300;
  static final int MIN_DISTANCE = 50;

  /** Random far sentences drawn per item, of which the closest in length become distractors. */
  static final int CANDIDATES = 32;

  private static final Pattern SENTENCE_END =
      Pattern.compile("(?<=[.!?][\"'”’)\\]]?)\\s+(?=[A-Z\"'“‘(\\[])");
  private static final Pattern ABBREVIATION =
      Pattern.compile("(?:^|\\s)(?:Mr|Mrs|Ms|Dr|St|Col|Capt|Gen|Lt|Rev|Sr|Jr|Mt|No|[A-Z])\\.$");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  public ClozeBuilder {
    if (count < 1) {
      throw new IllegalArgumentException("cloze: count must be >= 1, got " + count);
    }
    if (contextSentences < 1) {
      throw new IllegalArgumentException(
          "cloze: context sentences must be >= 1, got " + contextSentences);
    }
    if (choices < 2) {
      throw new IllegalArgumentException("cloze: choices must be >= 2, got " + choices);
    }
  }

  /** 4 choices, 4 sentences of context. */
  public static ClozeBuilder of(int count, long seed) {
    return new ClozeBuilder(count, seed, 4, 4);
  }

  /**
   * One item.
   *
   * @param context the sentences before the true ending
   * @param endings candidate next sentences
   * @param label index of the true one
   * @param source "text D, sentence S"
   */
  public record Cloze(String context, List<String> endings, int label, String source) {
    public Cloze {
      endings = List.copyOf(endings);
    }

    /** HellaSwag layout: {@code ind, ctx, endings, label, source_id, split}. */
    public ObjectNode toJson(int index) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("ind", index);
      o.put("ctx", context);
      ArrayNode e = o.putArray("endings");
      endings.forEach(e::add);
      o.put("label", label);
      o.put("source_id", source);
      o.put("split", "cloze");
      return o;
    }
  }

  /** Sentences of a text, whitespace collapsed. */
  public static List<String> sentences(String text) {
    String flat = WHITESPACE.matcher(text).replaceAll(" ").strip();
    List<String> out = new ArrayList<>();
    if (flat.isEmpty()) {
      return out;
    }
    String pending = null;
    for (String s : SENTENCE_END.split(flat)) {
      String piece = pending == null ? s.strip() : pending + " " + s.strip();
      if (ABBREVIATION.matcher(piece).find()) {
        pending = piece; // "Mr." or an initial: the sentence goes on
      } else {
        out.add(piece);
        pending = null;
      }
    }
    if (pending != null) {
      out.add(pending);
    }
    return out;
  }

  static boolean usable(String s) {
    return s.length() >= MIN_CHARS
        && s.length() <= MAX_CHARS
        && s.chars().anyMatch(Character::isLetter)
        && s.indexOf('[') < 0
        && s.indexOf(']') < 0; // HellaSwag's preprocessing would delete [...]
  }

  /** Builds {@link #count} items from the texts. */
  public List<Cloze> build(List<String> texts) {
    List<List<String>> docs = new ArrayList<>();
    List<int[]> candidates = new ArrayList<>(); // (doc, sentence) with enough context
    List<int[]> pool = new ArrayList<>(); // every usable sentence
    for (int d = 0; d < texts.size(); d++) {
      List<String> s = sentences(texts.get(d));
      docs.add(s);
      for (int i = 0; i < s.size(); i++) {
        if (usable(s.get(i))) {
          pool.add(new int[] {d, i});
          if (i >= contextSentences) {
            candidates.add(new int[] {d, i});
          }
        }
      }
    }
    if (candidates.size() < count) {
      throw new IllegalArgumentException(
          "cloze: the texts have "
              + candidates.size()
              + " usable sentences with "
              + contextSentences
              + " sentences before them; "
              + count
              + " items requested");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    Set<Long> used = new HashSet<>();
    List<Cloze> out = new ArrayList<>();
    int attempts = 0;
    while (out.size() < count) {
      if (++attempts > 100 * count + 1000) {
        throw new IllegalArgumentException(
            "cloze: could not find distractors for "
                + count
                + " items (texts too small or too uniform); built "
                + out.size());
      }
      int[] c = candidates.get(rng.nextInt(candidates.size()));
      long key = ((long) c[0] << 32) | c[1];
      if (used.contains(key)) {
        continue;
      }
      List<String> doc = docs.get(c[0]);
      String truth = doc.get(c[1]);
      List<String> endings = distractors(docs, pool, c, truth, rng);
      if (endings == null) {
        continue;
      }
      used.add(key);
      int label = rng.nextInt(choices);
      endings.add(label, truth);
      String context = String.join(" ", doc.subList(c[1] - contextSentences, c[1]));
      out.add(new Cloze(context, endings, label, "text " + c[0] + ", sentence " + c[1]));
    }
    return out;
  }

  /**
   * choices − 1 distinct distractors: of {@link #CANDIDATES} random far sentences, those closest in
   * length to the true one (so that neither the sum nor the per-character log-likelihood is biased
   * by length); null when the draws find too few.
   */
  private List<String> distractors(
      List<List<String>> docs, List<int[]> pool, int[] at, String truth, SplittableRandom rng) {
    List<String> candidates = new ArrayList<>();
    for (int tries = 0; candidates.size() < CANDIDATES && tries < 4 * CANDIDATES; tries++) {
      int[] p = pool.get(rng.nextInt(pool.size()));
      if (p[0] == at[0] && Math.abs(p[1] - at[1]) < MIN_DISTANCE) {
        continue;
      }
      String s = docs.get(p[0]).get(p[1]);
      if (!s.equals(truth) && !candidates.contains(s)) {
        candidates.add(s);
      }
    }
    if (candidates.size() < choices - 1) {
      return null;
    }
    candidates.sort(
        java.util.Comparator.comparingInt((String s) -> Math.abs(s.length() - truth.length())));
    return new ArrayList<>(candidates.subList(0, choices - 1));
  }

  /** Writes the items as {@code .jsonl}, atomically. */
  public static void write(List<Cloze> items, Path file) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      sb.append(items.get(i).toJson(i).toString()).append('\n');
    }
    AtomicFiles.writeString(file, sb.toString());
  }
}
