package io.github.longrope.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.Json;
import io.github.longrope.io.RunSpecs;
import io.github.longrope.rope.RopeNames;
import io.github.longrope.search.SearchConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the quickstart runs ({@code configs/quickstart.json}), read by the rules of every run spec
 * ({@link RunSpecs}); {@link Quickstart#preset} maps it onto a pipeline config. Paths are relative
 * to the working directory (the launcher runs from the repository root). The keys are the
 * pipeline's words for the same things: {@code samples} of a search, an {@code evaluate} object
 * with {@code lengths}, {@code samples} and {@code methods}, an {@code export} object with {@code
 * dtype}.
 *
 * <pre>{@code
 * {"version": 1, "model": "models/bundled", "datasets": "datasets", "output": "results/quickstart",
 *  "target_length": 2048, "search": {"version": 1, …}, "samples": 2,
 *  "evaluate": {"split": "eval-books", "lengths": [256, 512, 1024, 2048, 4096], "samples": 3,
 *               "methods": ["none", "pi", "ntk", "yarn", "longrope-yarn-seed"]},
 *  "export": {"dtype": "f16"}}
 * }</pre>
 *
 * <p>The flat spellings of the first release ({@code search_samples}, {@code eval_split}, {@code
 * eval_lengths}, {@code eval_pieces}, {@code baselines}, {@code export_dtype}) are still read, each
 * with a warning naming its new key.
 *
 * @param model HF model directory (the bundled model)
 * @param datasets the datasets folder; the corpus is built into {@code DATASETS/corpus} if missing
 * @param output where tables, charts, the search run and the export go
 * @param targetLength L′ of the search; every compared method is configured for it
 * @param search the evolution-search hyper-parameters (a reduced budget, stated in the output)
 * @param samples documents of the search-validation split in the fitness (truncate mode)
 * @param evaluate the comparison table
 * @param exportDtype {@code f16} or {@code f32} for the HF export
 * @param warnings deprecated spellings read (empty for a current file)
 */
public record QuickstartConfig(
    Path model,
    Path datasets,
    Path output,
    int targetLength,
    SearchConfig search,
    int samples,
    Evaluate evaluate,
    String exportDtype,
    List<String> warnings) {

  /** The file format version. */
  public static final int VERSION = 1;

  /** Flat keys of the first release → their key now. */
  static final Map<String, String> DEPRECATED =
      Map.of(
          "search_samples", "samples",
          "eval_split", "evaluate.split",
          "eval_lengths", "evaluate.lengths",
          "eval_pieces", "evaluate.samples",
          "baselines", "evaluate.methods",
          "export_dtype", "export.dtype");

  /**
   * The comparison: held-out split, lengths, pieces and methods.
   *
   * @param split held-out corpus split
   * @param lengths evaluation lengths (BOS included), increasing
   * @param samples the split is cut into pieces of the longest length; this many pieces, one window
   *     per piece and length
   * @param methods {@link RopeNames#METHODS} compared with the found factors
   */
  public record Evaluate(
      String split, List<Integer> lengths, Integer samples, List<String> methods) {
    public Evaluate {
      split = split == null ? "eval-books" : split;
      require(lengths != null && !lengths.isEmpty(), "evaluate.lengths", "required");
      lengths = List.copyOf(lengths);
      for (int i = 0; i < lengths.size(); i++) {
        require(lengths.get(i) >= 2, "evaluate.lengths", "lengths must be >= 2: " + lengths.get(i));
        require(
            i == 0 || lengths.get(i) > lengths.get(i - 1),
            "evaluate.lengths",
            "must be increasing");
      }
      samples = samples == null ? 3 : samples;
      require(samples >= 1, "evaluate.samples", "must be >= 1, got " + samples);
      methods =
          methods == null
              ? List.of("none", "pi", "ntk", "yarn", "longrope-yarn-seed")
              : List.copyOf(methods);
      for (String m : methods) {
        require(
            RopeNames.METHODS.contains(m),
            "evaluate.methods",
            "unknown method '" + m + "'; known: " + String.join(", ", RopeNames.METHODS));
      }
    }

    /** The longest evaluation length (the pieces' length). */
    public int longest() {
      return lengths.get(lengths.size() - 1);
    }
  }

  /** The export: {@code dtype} f16 or f32. */
  record Export(String dtype) {
    Export {
      dtype = dtype == null ? "f16" : dtype;
      require(
          dtype.equals("f16") || dtype.equals("f32"), "export.dtype", "f16 or f32, got " + dtype);
    }
  }

  /** The file as written; defaults and checks in the compact constructors. */
  record Fields(
      Integer version,
      String model,
      String datasets,
      String output,
      Integer targetLength,
      SearchConfig search,
      Integer samples,
      Evaluate evaluate,
      Export export) {
    Fields {
      require(version != null && version == VERSION, "version", "must be " + VERSION);
      targetLength = targetLength == null ? 2048 : targetLength;
      require(targetLength >= 2, "target_length", "must be >= 2, got " + targetLength);
      require(search != null, "search", "required: search hyper-parameters");
      samples = samples == null ? 2 : samples;
      require(samples >= 1, "samples", "must be >= 1, got " + samples);
      require(evaluate != null, "evaluate", "required: the comparison's lengths");
      export = export == null ? new Export(null) : export;
    }
  }

  public QuickstartConfig {
    warnings = List.copyOf(warnings);
  }

  /** Reads and validates a config file; errors name the file and the key. */
  public static QuickstartConfig read(Path file) {
    return parse(Json.readObject(file).toString(), file.toString());
  }

  /** Parses config text; {@code source} names it in errors. */
  public static QuickstartConfig parse(String text, String source) {
    ObjectNode root = Json.parseObject(text, source);
    List<String> warnings = new ArrayList<>();
    Map<String, String> renamed = new java.util.LinkedHashMap<>();
    DEPRECATED.forEach(
        (old, now) -> {
          JsonNode v = root.remove(old);
          if (v == null) {
            return;
          }
          String[] path = now.split("\\.");
          ObjectNode into = root;
          if (path.length == 2) {
            into = root.has(path[0]) ? (ObjectNode) root.get(path[0]) : root.putObject(path[0]);
          }
          if (into.has(path[path.length - 1])) {
            throw new FormatException(
                source, old, "given twice: as '" + old + "' and '" + now + "'");
          }
          into.set(path[path.length - 1], v);
          warnings.add(source + ": key '" + old + "' is now '" + now + "'");
          renamed.put(now, old);
        });
    Fields f;
    try {
      f = RunSpecs.convert(root, Fields.class, source, "quickstart config");
    } catch (FormatException e) {
      throw writtenAs(e, renamed);
    }
    return new QuickstartConfig(
        Path.of(f.model() == null ? "models/bundled" : f.model()),
        Path.of(f.datasets() == null ? "datasets" : f.datasets()),
        Path.of(f.output() == null ? "results/quickstart" : f.output()),
        f.targetLength(),
        f.search(),
        f.samples(),
        f.evaluate(),
        f.export().dtype(),
        warnings);
  }

  /** An error about a key the file spells the old way also names that spelling. */
  private static FormatException writtenAs(FormatException e, Map<String, String> renamed) {
    for (Map.Entry<String, String> r : renamed.entrySet()) {
      if (e.getMessage().contains("'" + r.getKey() + "'")) {
        return new FormatException(
            e.getMessage(), "", "the file writes it as '" + r.getValue() + "'", e);
      }
    }
    return e;
  }

  /** The same config writing to another folder. */
  public QuickstartConfig withOutput(Path out) {
    return new QuickstartConfig(
        model, datasets, out, targetLength, search, samples, evaluate, exportDtype, warnings);
  }

  private static void require(boolean ok, String key, String problem) {
    if (!ok) {
      throw new IllegalArgumentException("quickstart config: key '" + key + "': " + problem);
    }
  }
}
