package io.github.longrope.data;

import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.HfTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link Recipe} into {@code DIR/data/SPLIT.bin/.idx} plus {@code DIR/data/manifest.json}
 * and {@code DIR/README.md}: fetch the packages, extract every text, check its pinned sha256,
 * tokenize (no BOS, no truncation), cut the splits, check that no document is in two splits (by a
 * hash of its tokens), write.
 */
public final class DatasetBuilder {
  private DatasetBuilder() {}

  /** Where package trees come from ({@link DebianSource}, or a stub in tests). */
  @FunctionalInterface
  public interface Packages {
    DebianPackage fetch(String name);
  }

  /** What the build is doing (the CLI prints it on stderr). */
  public interface Listener {
    void message(String text);

    /** Progress of a long step, e.g. tokenization in characters. */
    void progress(String task, long done, long total);

    Listener SILENT =
        new Listener() {
          @Override
          public void message(String text) {}

          @Override
          public void progress(String task, long done, long total) {}
        };
  }

  /**
   * @param recipe what to build
   * @param dir the dataset folder ({@code datasets/NAME})
   * @param textCache where the extracted texts are also written ({@code ID.txt}), or null
   * @param tokenizer {@code tokenizer.json}
   * @param verify fail when a text's sha256 is not one of its pins
   */
  public record Config(Recipe recipe, Path dir, Path textCache, Path tokenizer, boolean verify) {}

  /** One extracted, tokenized text. */
  public record TextResult(
      Recipe.Text text, DebianPackage source, long chars, int tokens, String sha256) {}

  /** One document of a split. */
  public record Document(String text, Recipe.Portion portion, int tokens, String tokenSha256) {}

  /** One written split. */
  public record SplitResult(
      Recipe.Split split, List<Document> documents, long tokens, Path prefix) {}

  /** Seconds per stage. */
  public record Timings(double fetch, double extract, double tokenize, double write) {}

  public record Result(
      Recipe recipe,
      Path dir,
      String tokenizerSha256,
      List<DebianPackage> packages,
      List<TextResult> texts,
      List<SplitResult> splits,
      Timings timings) {
    public long tokens() {
      return splits.stream().mapToLong(SplitResult::tokens).sum();
    }
  }

  public static Result run(Config config, Packages packages, Listener listener) {
    Recipe recipe = config.recipe();
    long t0 = System.nanoTime();
    Map<String, DebianPackage> fetched = new LinkedHashMap<>();
    for (Recipe.Text t : recipe.texts()) {
      fetched.computeIfAbsent(t.debianPackage(), packages::fetch);
    }
    long t1 = System.nanoTime();

    List<String> texts = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    for (Recipe.Text t : recipe.texts()) {
      DebianPackage pkg = fetched.get(t.debianPackage());
      listener.message("extract " + t.id() + " from " + pkg.name() + " " + pkg.version());
      String text = t.extraction().read(pkg.root());
      String sha = Hashes.sha256(text);
      if (config.textCache() != null) {
        AtomicFiles.writeString(config.textCache().resolve(t.id() + ".txt"), text);
      }
      if (!t.sha256().contains(sha)) {
        mismatches.add(
            "  "
                + t.id()
                + " ("
                + pkg.name()
                + " "
                + pkg.version()
                + ": "
                + t.extraction().description()
                + "): expected "
                + (t.sha256().isEmpty() ? "a pin (none recorded)" : String.join(" or ", t.sha256()))
                + ", got "
                + sha);
      }
      texts.add(text);
      hashes.add(sha);
    }
    if (!mismatches.isEmpty()) {
      String report =
          "dataset "
              + recipe.name()
              + ": sha256 of "
              + mismatches.size()
              + " extracted text(s) not as pinned:\n"
              + String.join("\n", mismatches);
      if (config.verify()) {
        throw new IllegalArgumentException(
            report
                + "\n(the package or the extractor changed: inspect the text"
                + (config.textCache() == null ? "" : " in " + config.textCache())
                + " and update the pin in Recipes, or rebuild with --no-verify)");
      }
      listener.message("warning: " + report);
    }
    long t2 = System.nanoTime();

    String tokenizerSha;
    List<int[]> tokens;
    try {
      tokenizerSha = Hashes.sha256(Files.readAllBytes(config.tokenizer()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read tokenizer " + config.tokenizer() + ": " + e.getMessage(), e);
    }
    try (HfTokenizer tok = HfTokenizer.load(config.tokenizer())) {
      tokens = tokenize(tok, texts, listener);
    }
    long t3 = System.nanoTime();

    List<TextResult> textResults = new ArrayList<>();
    Map<String, int[]> byId = new HashMap<>();
    for (int i = 0; i < texts.size(); i++) {
      Recipe.Text t = recipe.texts().get(i);
      byId.put(t.id(), tokens.get(i));
      textResults.add(
          new TextResult(
              t,
              fetched.get(t.debianPackage()),
              texts.get(i).length(),
              tokens.get(i).length,
              hashes.get(i)));
    }
    List<SplitResult> splits = writeSplits(recipe, byId, config.dir().resolve("data"), listener);
    Result result =
        new Result(
            recipe,
            config.dir(),
            tokenizerSha,
            List.copyOf(fetched.values()),
            textResults,
            splits,
            new Timings(
                seconds(t0, t1), seconds(t1, t2), seconds(t2, t3), seconds(t3, System.nanoTime())));
    AtomicFiles.writeString(
        config.dir().resolve("data").resolve("manifest.json"), DatasetReadme.manifest(result));
    AtomicFiles.writeString(config.dir().resolve("README.md"), DatasetReadme.markdown(result));
    return result;
  }

  /**
   * Tokenizes texts one after the other; progress in characters. (DJL's tokenizer serialises encode
   * calls: two threads measured no faster than one.)
   */
  static List<int[]> tokenize(HfTokenizer tok, List<String> texts, Listener listener) {
    long total = texts.stream().mapToLong(String::length).sum();
    long done = 0;
    listener.progress("tokenize", 0, total);
    List<int[]> out = new ArrayList<>();
    for (String t : texts) {
      out.add(tok.encode(t));
      done += t.length();
      listener.progress("tokenize", done, total);
    }
    return out;
  }

  private static List<SplitResult> writeSplits(
      Recipe recipe, Map<String, int[]> tokens, Path dataDir, Listener listener) {
    // every document of every split, checked for duplicates before anything is written
    Map<String, String> seen = new HashMap<>();
    List<List<int[]>> contents = new ArrayList<>();
    List<List<Document>> docs = new ArrayList<>();
    for (Recipe.Split s : recipe.splits()) {
      List<int[]> c = new ArrayList<>();
      List<Document> d = new ArrayList<>();
      for (Recipe.Part p : s.parts()) {
        int[] ids = recipe.portion(tokens.get(p.text()), p.portion());
        String sha = Hashes.sha256(ids);
        String where = s.name() + "/" + p.text() + " (" + p.portion() + ")";
        String before = seen.putIfAbsent(sha, where);
        if (before != null) {
          throw new IllegalArgumentException(
              "dataset "
                  + recipe.name()
                  + ": the same document is in "
                  + before
                  + " and "
                  + where
                  + " (token sha256 "
                  + sha
                  + ")");
        }
        c.add(ids);
        d.add(new Document(p.text(), p.portion(), ids.length, sha));
      }
      contents.add(c);
      docs.add(d);
    }
    List<SplitResult> out = new ArrayList<>();
    for (int i = 0; i < recipe.splits().size(); i++) {
      Recipe.Split s = recipe.splits().get(i);
      Path prefix = dataDir.resolve(s.name());
      InMemoryDocuments d = new InMemoryDocuments(contents.get(i));
      listener.message(
          "write "
              + dataDir.getFileName()
              + "/"
              + s.name()
              + ".bin: "
              + d.size()
              + " documents, "
              + d.totalTokens()
              + " tokens");
      TokenFile.write(prefix, d);
      out.add(new SplitResult(s, docs.get(i), d.totalTokens(), prefix));
    }
    return out;
  }

  private static double seconds(long from, long to) {
    return (to - from) / 1e9;
  }
}
