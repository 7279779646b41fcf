package io.github.longrope.data;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A declarative dataset: which texts come from which Debian package, their pinned hashes, and which
 * split each text (or part of it) goes to.
 *
 * <p>Validated on construction: text ids are unique, every text is used, and <b>no text is in two
 * splits</b> — except that a text may be divided into its {@link Portion#HEAD} in one split and its
 * {@link Portion#TAIL} in another (training text and its held-out contiguous end), which never
 * share a token.
 *
 * @param name dataset name (the folder under {@code datasets/})
 * @param description one paragraph for the README
 * @param texts the texts
 * @param splits the splits, in README order
 * @param holdout the fraction of tokens a {@link Portion#TAIL} takes (e.g. 0.05)
 */
public record Recipe(
    String name, String description, List<Text> texts, List<Split> splits, double holdout) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /**
   * One extracted text.
   *
   * @param id file-name-safe id, e.g. {@code austen_emma}
   * @param title human title
   * @param debianPackage the Debian package it is extracted from
   * @param license the text's license (and the package's where they differ)
   * @param extraction how the text is made from the package tree
   * @param sha256 accepted sha256 values of the UTF-8 text (more than one where a package's
   *     security updates changed it); empty means unpinned (fails unless verification is off)
   */
  public record Text(
      String id,
      String title,
      String debianPackage,
      String license,
      Extraction extraction,
      List<String> sha256) {
    public Text {
      require(NAME.matcher(id).matches(), "text id '" + id + "' must match " + NAME);
      sha256 = List.copyOf(sha256);
      for (String h : sha256) {
        require(SHA256.matcher(h).matches(), "text " + id + ": not a sha256 hex digest: " + h);
      }
    }
  }

  /** Which part of a text's tokens a split takes. */
  public enum Portion {
    /** All tokens. */
    WHOLE,
    /** The first (1 − holdout) of the tokens. */
    HEAD,
    /** The last holdout of the tokens, contiguous. */
    TAIL
  }

  /** A text (or part of it) in a split: one document of the split's token file. */
  public record Part(String text, Portion portion) {}

  /**
   * A split: one token file {@code data/NAME.bin/.idx}.
   *
   * @param name file name
   * @param role what it is for (README)
   * @param parts its documents, in order
   */
  public record Split(String name, String role, List<Part> parts) {
    public Split {
      require(NAME.matcher(name).matches(), "split name '" + name + "' must match " + NAME);
      parts = List.copyOf(parts);
      require(!parts.isEmpty(), "split " + name + " has no documents");
    }
  }

  public Recipe {
    require(NAME.matcher(name).matches(), "dataset name '" + name + "' must match " + NAME);
    texts = List.copyOf(texts);
    splits = List.copyOf(splits);
    require(holdout > 0 && holdout < 1, "holdout must be in (0, 1), got " + holdout);
    Map<String, Text> byId = new HashMap<>();
    for (Text t : texts) {
      require(byId.put(t.id(), t) == null, "text id " + t.id() + " appears twice");
    }
    Set<String> splitNames = new HashSet<>();
    // text id -> split that holds it (per portion)
    Map<String, String> whole = new HashMap<>();
    Map<String, String> head = new HashMap<>();
    Map<String, String> tail = new HashMap<>();
    for (Split s : splits) {
      require(splitNames.add(s.name()), "split " + s.name() + " appears twice");
      for (Part p : s.parts()) {
        require(byId.containsKey(p.text()), "split " + s.name() + ": unknown text " + p.text());
        Map<String, String> m =
            switch (p.portion()) {
              case WHOLE -> whole;
              case HEAD -> head;
              case TAIL -> tail;
            };
        String before = m.put(p.text(), s.name());
        require(
            before == null,
            "text " + p.text() + " (" + p.portion() + ") is in " + before + " and " + s.name());
      }
    }
    for (Text t : texts) {
      String id = t.id();
      boolean w = whole.containsKey(id);
      boolean h = head.containsKey(id);
      boolean tl = tail.containsKey(id);
      require(w || h || tl, "text " + id + " is in no split");
      require(
          !(w && (h || tl)),
          "text " + id + " is whole in " + whole.get(id) + " and in part elsewhere");
      require(h == tl, "text " + id + ": a HEAD needs its TAIL and the other way round");
      require(
          !h || !head.get(id).equals(tail.get(id)),
          "text " + id + ": HEAD and TAIL in the same split " + head.get(id));
    }
  }

  /** The text with this id. */
  public Text text(String id) {
    for (Text t : texts) {
      if (t.id().equals(id)) {
        return t;
      }
    }
    throw new IllegalArgumentException("dataset " + name + " has no text " + id);
  }

  /** Token count of a portion of a text of n tokens: HEAD + TAIL = n, TAIL ≥ 1 when n ≥ 1. */
  public int[] portion(int[] tokens, Portion portion) {
    int cut = (int) Math.floor(tokens.length * (1 - holdout));
    if (tokens.length > 0 && cut == tokens.length) {
      cut--;
    }
    return switch (portion) {
      case WHOLE -> tokens;
      case HEAD -> java.util.Arrays.copyOfRange(tokens, 0, cut);
      case TAIL -> java.util.Arrays.copyOfRange(tokens, cut, tokens.length);
    };
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("recipe: " + message);
    }
  }
}
