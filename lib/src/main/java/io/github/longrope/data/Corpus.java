package io.github.longrope.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The project corpus ({@link Recipes#CORPUS}) under a datasets folder, built from Debian packages
 * the first time a split is missing: what the quickstart, the pipeline's users and the notebooks
 * call so that a fresh clone needs no manual {@code longrope data prepare corpus}.
 *
 * <pre>{@code
 * Path data = Corpus.ensure(Path.of("datasets"), List.of("search", "eval-books"), listener);
 * Documents eval = DocumentSources.open(data.resolve("eval-books"), tokenizer, "text");
 * }</pre>
 */
public final class Corpus {
  private Corpus() {}

  /** The corpus's data folder under {@code datasets}: {@code datasets/corpus/data}. */
  public static Path dataDir(Path datasets) {
    return datasets.resolve(Recipes.CORPUS.name()).resolve("data");
  }

  /**
   * The splits among {@code splits} whose {@code .bin}/{@code .idx} pair is not in the data folder;
   * an unknown split name is an error naming the known ones.
   */
  public static List<String> missing(Path datasets, Collection<String> splits) {
    List<String> known = Recipes.CORPUS.splits().stream().map(Recipe.Split::name).toList();
    Path data = dataDir(datasets);
    List<String> out = new ArrayList<>();
    for (String split : splits) {
      if (!known.contains(split)) {
        throw new IllegalArgumentException(
            "the corpus has no split '" + split + "'; known: " + String.join(", ", known));
      }
      if (!Files.isRegularFile(data.resolve(split + ".bin"))
          || !Files.isRegularFile(data.resolve(split + ".idx"))) {
        out.add(split);
      }
    }
    return out;
  }

  /**
   * Builds the corpus (all splits, a few minutes: {@code apt-get download}, extraction, checks,
   * tokenization) when any of {@code splits} is missing, with the package cache in {@code
   * datasets/.cache} and the tokenizer {@code datasets/tokenizer/tokenizer.json}; returns the data
   * folder.
   */
  public static Path ensure(
      Path datasets, Collection<String> splits, DatasetBuilder.Listener listener) {
    List<String> missing = missing(datasets, splits);
    Path dir = datasets.resolve(Recipes.CORPUS.name());
    if (!missing.isEmpty()) {
      listener.message(
          "corpus missing ("
              + String.join(", ", missing)
              + "): building "
              + dir
              + " (Debian packages, a few minutes)");
      Path cache = datasets.resolve(".cache");
      DatasetBuilder.run(
          new DatasetBuilder.Config(
              Recipes.CORPUS,
              dir,
              cache.resolve("text"),
              datasets.resolve("tokenizer/tokenizer.json"),
              true),
          new DebianSource(cache, false, listener::message),
          listener);
    }
    return dataDir(datasets);
  }
}
