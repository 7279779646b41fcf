package io.github.longrope.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.Json;
import io.github.longrope.rope.RopeNames;
import io.github.longrope.search.SearchConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What the quickstart runs ({@code configs/quickstart.json}). Paths are relative to the working
 * directory (the launcher runs from the repository root).
 *
 * @param model HF model directory (the bundled model)
 * @param datasets the datasets folder; the corpus is built into {@code DATASETS/corpus} if missing
 * @param output where tables, charts, the search run and the export go
 * @param targetLength L′ of the search; every compared method is configured for it
 * @param search the evolution-search hyper-parameters (a reduced budget, stated in the output)
 * @param searchSamples documents of the search-validation split in the fitness (truncate mode)
 * @param evalSplit held-out corpus split for the comparison
 * @param evalLengths evaluation lengths (BOS included)
 * @param evalPieces the evaluation split is cut into pieces of the longest length; this many
 *     pieces, one window per piece and length
 * @param baselines {@link RopeNames#METHODS} compared with the found factors
 * @param exportDtype {@code f16} or {@code f32} for the HF export
 */
public record QuickstartConfig(
    Path model,
    Path datasets,
    Path output,
    int targetLength,
    SearchConfig search,
    int searchSamples,
    String evalSplit,
    int[] evalLengths,
    int evalPieces,
    List<String> baselines,
    String exportDtype) {

  /** The file format version. */
  public static final int VERSION = 1;

  private static final Set<String> KEYS =
      Set.of(
          "version",
          "model",
          "datasets",
          "output",
          "target_length",
          "search",
          "search_samples",
          "eval_split",
          "eval_lengths",
          "eval_pieces",
          "baselines",
          "export_dtype");

  public QuickstartConfig {
    evalLengths = evalLengths.clone();
    baselines = List.copyOf(baselines);
  }

  /** Reads and validates a config file; errors name the file and the key. */
  public static QuickstartConfig read(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new FormatException(file.toString(), "", "quickstart config not found");
    } catch (IOException e) {
      throw new FormatException(file.toString(), "", "cannot read: " + e.getMessage(), e);
    }
  }

  /** Parses config text; {@code source} names it in errors. */
  public static QuickstartConfig parse(String text, String source) {
    JsonNode root = Json.parseObject(text, source);
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new FormatException(
            source, k, "unknown key; known: " + String.join(", ", KEYS.stream().sorted().toList()));
      }
    }
    int version = integer(root, "version", -1, source);
    if (version != VERSION) {
      throw new FormatException(source, "version", "must be " + VERSION + ", got " + version);
    }
    int target = integer(root, "target_length", 2048, source);
    require(target >= 2, source, "target_length", "must be >= 2, got " + target);
    JsonNode s = root.get("search");
    require(s != null && s.isObject(), source, "search", "required: search hyper-parameters");
    SearchConfig search = SearchConfig.parse(Json.write((ObjectNode) s), source + " (search)");
    int samples = integer(root, "search_samples", 2, source);
    require(samples >= 1, source, "search_samples", "must be >= 1, got " + samples);
    JsonNode ls = root.get("eval_lengths");
    require(ls != null && ls.isArray() && !ls.isEmpty(), source, "eval_lengths", "required");
    int[] lengths = new int[ls.size()];
    for (int i = 0; i < lengths.length; i++) {
      require(ls.get(i).canConvertToInt(), source, "eval_lengths", "not an integer: " + ls.get(i));
      lengths[i] = ls.get(i).asInt();
      require(lengths[i] >= 2, source, "eval_lengths", "lengths must be >= 2: " + lengths[i]);
      require(i == 0 || lengths[i] > lengths[i - 1], source, "eval_lengths", "must be increasing");
    }
    int pieces = integer(root, "eval_pieces", 3, source);
    require(pieces >= 1, source, "eval_pieces", "must be >= 1, got " + pieces);
    List<String> baselines = new ArrayList<>();
    JsonNode b = root.get("baselines");
    if (b == null) {
      baselines.addAll(List.of("none", "pi", "ntk", "yarn", "longrope-yarn-seed"));
    } else {
      require(b.isArray(), source, "baselines", "expected a list of method names");
      for (JsonNode n : b) {
        require(
            RopeNames.METHODS.contains(n.asText()),
            source,
            "baselines",
            "unknown method '" + n.asText() + "'; known: " + String.join(", ", RopeNames.METHODS));
        baselines.add(n.asText());
      }
    }
    String dtype = text(root, "export_dtype", "f16");
    require(
        dtype.equals("f16") || dtype.equals("f32"),
        source,
        "export_dtype",
        "f16 or f32, got " + dtype);
    return new QuickstartConfig(
        Path.of(text(root, "model", "models/bundled")),
        Path.of(text(root, "datasets", "datasets")),
        Path.of(text(root, "output", "results/quickstart")),
        target,
        search,
        samples,
        text(root, "eval_split", "eval-books"),
        lengths,
        pieces,
        baselines,
        dtype);
  }

  /** The same config writing to another folder. */
  public QuickstartConfig withOutput(Path out) {
    return new QuickstartConfig(
        model,
        datasets,
        out,
        targetLength,
        search,
        searchSamples,
        evalSplit,
        evalLengths,
        evalPieces,
        baselines,
        exportDtype);
  }

  /** The budget in words, for the printed table and the README of the output. */
  public String budget() {
    return String.format(
        java.util.Locale.ROOT,
        "%s, population %d, %d iterations of %d mutations + %d crossovers, %d parents, seed %d;"
            + " fitness: perplexity at %d on %d search-validation documents",
        search.algorithm(),
        search.population(),
        search.iterations(),
        search.mutations(),
        search.crossovers(),
        search.parents(),
        search.seed(),
        targetLength,
        searchSamples);
  }

  private static int integer(JsonNode root, String key, int fallback, String source) {
    JsonNode n = root.get(key);
    if (n == null) {
      if (fallback < 0) {
        throw new FormatException(source, key, "required");
      }
      return fallback;
    }
    require(n.canConvertToInt() && n.isIntegralNumber(), source, key, "not an integer: " + n);
    return n.asInt();
  }

  private static String text(JsonNode root, String key, String fallback) {
    JsonNode n = root.get(key);
    return n == null ? fallback : n.asText();
  }

  private static void require(boolean ok, String source, String key, String problem) {
    if (!ok) {
      throw new FormatException(source, key, problem);
    }
  }
}
