package io.github.longrope.quickstart;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.Corpus;
import io.github.longrope.data.DatasetBuilder;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.data.Documents;
import io.github.longrope.data.SplitDocuments;
import io.github.longrope.eval.Baselines;
import io.github.longrope.eval.EvalModel;
import io.github.longrope.eval.Perplexity;
import io.github.longrope.eval.PerplexityGrid;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.report.Charts;
import io.github.longrope.report.Markdown;
import io.github.longrope.report.Pivot;
import io.github.longrope.report.ReportFiles;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeNames;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.search.RunRecord;
import io.github.longrope.search.SearchListener;
import io.github.longrope.search.SearchResult;
import io.github.longrope.search.run.SearchJob;
import io.github.longrope.search.run.SearchSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import tech.tablesaw.api.Table;

/**
 * {@code Quickstart.run(config, listener)}: data (if missing) → reduced-budget search at L′ →
 * comparison of the found factors with the baselines across lengths → files in the output folder.
 *
 * <p>Every method in the table, the found factors included, is configured for the same L′ (the
 * paper's figure: methods set for 8×, evaluated across lengths), so the rows beyond L′ show how
 * each extrapolates past its own target. The search resumes when its run directory already holds
 * the same settings, so a killed quickstart loses at most one candidate.
 *
 * <p>Output folder: {@code ppl.csv} (long table), {@code ppl.md} (lengths × methods), {@code
 * ppl-vs-length.png}, {@code factors.csv} and {@code factors.png} (λ per dimension of each method),
 * {@code search/} (the run record: history, per-iteration CSVs, {@code final/}), {@code export/}
 * (an HF directory with the found factors and {@code max_position_embeddings} = L′), {@code
 * summary.json} and {@code README.md}.
 */
public final class Quickstart {
  private Quickstart() {}

  /** The found factors' row name in the tables. */
  public static final String FOUND = "longrope-found";

  /** Progress of each phase; the data part is the dataset builder's own listener. */
  public interface Listener extends DatasetBuilder.Listener {
    /** The search's live progress. */
    default SearchListener search() {
      return SearchListener.NONE;
    }

    /** One cell of the comparison done. */
    default void cellDone(PerplexityGrid.Cell cell, int done, int total) {}
  }

  /**
   * What a quickstart produced.
   *
   * @param wins for each evaluated length ≥ L′: whether the found factors beat every baseline
   */
  public record Result(
      Path output,
      String budget,
      SearchResult search,
      ObjectNode ropeScaling,
      Table table,
      Table wide,
      Map<Integer, Boolean> wins,
      Path export,
      double dataSeconds,
      double searchSeconds,
      double evalSeconds,
      double exportSeconds) {

    /** One line per length ≥ L′: whether the found factors beat every baseline there. */
    public List<String> verdicts() {
      List<String> out = new ArrayList<>();
      wins.forEach(
          (len, w) ->
              out.add(
                  String.format(
                      Locale.ROOT,
                      "at %d the found factors %s every baseline",
                      len,
                      w ? "beat" : "do NOT beat")));
      return out;
    }

    /** The comparison as Markdown (lengths down, methods across). */
    public String markdown() {
      return Markdown.table(wide);
    }
  }

  /**
   * Runs the quickstart.
   *
   * @param fresh delete a previous output folder first (otherwise its search is resumed)
   */
  public static Result run(QuickstartConfig c, boolean fresh, Listener listener) {
    c.warnings().forEach(w -> listener.message("warning: " + w));
    if (fresh) {
      AtomicFiles.deleteTree(c.output());
    }
    long t0 = System.nanoTime();
    Path corpus = ensureCorpus(c, listener);
    double dataSeconds = seconds(t0);

    long t1 = System.nanoTime();
    Path runDir = c.output().resolve("search");
    SearchSpec spec =
        SearchSpec.builder(c.model(), corpus.resolve("search"), c.targetLength(), c.search())
            .samples(c.samples())
            .build();
    listener.message("search: " + c.budget());
    boolean resume = Files.isRegularFile(runDir.resolve("config.json"));
    if (resume) {
      listener.message("search: resuming " + runDir);
    }
    SearchJob.Outcome found;
    try {
      found = SearchJob.run(spec, runDir, resume, listener.search());
    } catch (RunRecord.SettingsChanged e) {
      // a record from other settings (another model or data, an edited config): never an error
      // for the main command, which owns its output folder
      listener.message(
          "search: "
              + runDir
              + " was made with other settings ("
              + e.difference()
              + "); starting over");
      AtomicFiles.deleteTree(runDir);
      found = SearchJob.run(spec, runDir, false, listener.search());
    }
    double searchSeconds = seconds(t1);

    long t2 = System.nanoTime();
    ModelConfig config = HfModelConfig.read(c.model()).config();
    int original = config.originalLength();
    RopeScaling foundScaling =
        HfRopeConfig.parseScaling(found.ropeScaling(), config.rope().pairs(), "search result");
    Map<String, DoubleFunction<RopeScaling>> methods =
        new LinkedHashMap<>(RopeNames.methods(c.evaluate().methods(), config.rope(), original));
    methods.put(FOUND, s -> s <= 1 ? new NoScaling() : foundScaling);
    int longest = c.evaluate().longest();
    Documents eval =
        new SplitDocuments(
            DocumentSources.open(
                corpus.resolve(c.evaluate().split()), () -> HfTokenizer.load(c.model()), "text"),
            longest);
    if (eval.size() == 0) {
      throw new IllegalArgumentException(
          "the " + c.evaluate().split() + " split has no piece of " + longest + " tokens");
    }
    PerplexityGrid grid =
        new PerplexityGrid(
            new Perplexity(2, longest, c.evaluate().samples(), 0, true),
            c.evaluate().lengths(),
            original,
            c.targetLength());
    List<PerplexityGrid.Cell> cells =
        grid.run(grid.methods(EvalModel.of(c.model(), config), methods), eval, listener::cellDone);
    double evalSeconds = seconds(t2);

    long t3 = System.nanoTime();
    Path export = c.output().resolve("export");
    HfModel.export(
        c.model(),
        export,
        config.withRope(foundScaling, original).toBuilder()
            .maxPositionEmbeddings(c.targetLength())
            .build(),
        c.exportDtype().equals("f16") ? SafetensorsFile.Dtype.F16 : SafetensorsFile.Dtype.F32);
    double exportSeconds = seconds(t3);

    Table table =
        PerplexityGrid.table("perplexity, every method set for " + c.targetLength(), cells)
            .selectColumns("method", "length", "scale", "ppl", "tokens", "windows", "seconds");
    Table wide = Pivot.wide(table, List.of("length"), "method", "ppl");
    wide.setName(table.name());
    Map<Integer, Boolean> wins = wins(cells, c.targetLength());
    double s = (double) c.targetLength() / original;
    Table factors = Baselines.factorTable(methods, config.rope(), s, c.targetLength());
    Result r =
        new Result(
            c.output(),
            c.budget(),
            found.result(),
            found.ropeScaling(),
            table,
            wide,
            wins,
            export,
            dataSeconds,
            searchSeconds,
            evalSeconds,
            exportSeconds);
    write(c, r, factors);
    return r;
  }

  /** Builds the corpus when a split the quickstart reads is missing; returns its data folder. */
  static Path ensureCorpus(QuickstartConfig c, DatasetBuilder.Listener listener) {
    return Corpus.ensure(c.datasets(), List.of("search", c.evaluate().split()), listener);
  }

  /** For each length ≥ L′: does the found row beat every other method there? */
  static Map<Integer, Boolean> wins(List<PerplexityGrid.Cell> cells, int target) {
    Map<Integer, Double> found = new LinkedHashMap<>();
    Map<Integer, Double> best = new LinkedHashMap<>();
    for (PerplexityGrid.Cell r : cells) {
      if (r.length() < target) {
        continue;
      }
      if (r.method().equals(FOUND)) {
        found.put(r.length(), r.ppl());
      } else {
        best.merge(r.length(), r.ppl(), Math::min);
      }
    }
    Map<Integer, Boolean> out = new LinkedHashMap<>();
    found.forEach((len, ppl) -> out.put(len, ppl < best.getOrDefault(len, Double.MAX_VALUE)));
    return out;
  }

  private static void write(QuickstartConfig c, Result r, Table factors) {
    Path out = c.output();
    ReportFiles.writeCsv(r.table(), out.resolve("ppl.csv"));
    ReportFiles.writeMarkdown(r.markdown(), out.resolve("ppl.md"));
    ReportFiles.writePng(Charts.perplexityVsLength(r.table()), out.resolve("ppl-vs-length.png"));
    ReportFiles.writeCsv(factors, out.resolve("factors.csv"));
    var chart = Charts.lines(factors, "dimension", "factor", "method", false);
    chart.setTitle(factors.name());
    ReportFiles.writePng(chart, out.resolve("factors.png"));
    AtomicFiles.writeString(out.resolve("summary.json"), Json.write(summaryJson(c, r)));
    AtomicFiles.writeString(out.resolve("README.md"), readme(c, r));
  }

  /** The summary written to {@code summary.json}. */
  public static ObjectNode summaryJson(QuickstartConfig c, Result r) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("model", c.model().toString());
    o.put("target_length", c.targetLength());
    o.put("budget", r.budget());
    o.put("best_fitness", r.search().fitness());
    o.put("evaluations", r.search().evaluations());
    o.set("rope_scaling", r.ropeScaling());
    ObjectNode wins = o.putObject("found_beats_every_baseline");
    r.wins().forEach((len, w) -> wins.put(String.valueOf(len), w));
    ArrayNode rows = o.putArray("rows");
    for (int i = 0; i < r.table().rowCount(); i++) {
      ObjectNode x = rows.addObject();
      x.put("method", r.table().stringColumn("method").get(i));
      x.put("length", r.table().intColumn("length").get(i));
      x.put("ppl", r.table().doubleColumn("ppl").get(i));
      x.put("windows", r.table().intColumn("windows").get(i));
    }
    ObjectNode t = o.putObject("seconds");
    t.put("data", r.dataSeconds());
    t.put("search", r.searchSeconds());
    t.put("eval", r.evalSeconds());
    t.put("export", r.exportSeconds());
    return o;
  }

  static String readme(QuickstartConfig c, Result r) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Quickstart result\n\n");
    sb.append("Written by `./longrope quickstart` on ")
        .append(c.model())
        .append(" (the bundled small model: 256-token context, trained by this project on CPU;")
        .append(" these are not LLaMA-2 numbers).\n\n");
    sb.append("Search budget (reduced; the official one is population 64, 40 iterations): ")
        .append(r.budget())
        .append(".\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Perplexity on %d pieces of the `%s` split (one window per piece and length);"
                + " every method configured for L′ = %d:%n%n",
            c.evaluate().samples(),
            c.evaluate().split(),
            c.targetLength()));
    sb.append(r.markdown()).append('\n');
    r.verdicts().forEach(v -> sb.append("- ").append(v).append('\n'));
    sb.append(
        String.format(
            Locale.ROOT,
            "%nWall time: data %.0f s, search %.0f s, evaluation %.0f s, export %.0f s.%n%n",
            r.dataSeconds(),
            r.searchSeconds(),
            r.evalSeconds(),
            r.exportSeconds()));
    sb.append(
        "Files: `ppl.csv`, `ppl.md`, `ppl-vs-length.png`, `factors.csv`, `factors.png`,"
            + " `search/` (history.jsonl, iterations/, final/), `export/` (HF directory with"
            + " rope_scaling longrope), `summary.json`.\n");
    return sb.toString();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
