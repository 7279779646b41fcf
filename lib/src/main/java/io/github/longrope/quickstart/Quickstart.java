package io.github.longrope.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.Corpus;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.Json;
import io.github.longrope.io.RunSpecs;
import io.github.longrope.pipeline.Pipeline;
import io.github.longrope.pipeline.PipelineConfig;
import io.github.longrope.pipeline.RunReport;
import io.github.longrope.search.run.SearchEngine;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code Quickstart.run(config, fresh, listener)}: the pipeline ({@link Pipeline}) with the preset
 * {@link #preset} builds from a {@link QuickstartConfig}: the corpus splits if missing → a
 * reduced-budget search at L′ on the base model (no fine-tune) → the HF export of the found factors
 * → the comparison of the found factors with the baselines across lengths → the run-level files.
 * One engine: this class only maps the quickstart's keys onto the pipeline's.
 *
 * <p>Every method in the table, the found factors included, is configured for the same L′ (the
 * paper's figure: methods set for 8×, evaluated across lengths), so the rows beyond L′ show how
 * each extrapolates past its own target. The output folder is the pipeline's run folder, which the
 * quickstart owns ({@link Pipeline.Start#OWNED}): a killed quickstart resumes where it stopped (at
 * most one candidate of the search or one cell of the table is lost); a record made with other
 * settings is replaced, never an error.
 *
 * <p>Output folder: {@code ppl.csv} (long table), {@code ppl.md} (lengths × methods), {@code
 * ppl-vs-length.png}, {@code factors.csv} and {@code factors.png} (λ per dimension of each method),
 * {@code search/} (the run record: history, per-iteration CSVs, {@code final/}), {@code export/}
 * (an HF directory with the found factors and {@code max_position_embeddings} = L′), {@code
 * summary.json} and {@code README.md}; and the pipeline's own records ({@code pipeline.json},
 * {@code stage5-export/}, {@code stage6-evaluate/} with the table's {@code cells.jsonl}).
 */
public final class Quickstart {
  private Quickstart() {}

  /** The found factors' row name in the tables. */
  public static final String FOUND = "longrope-found";

  /** The README's note on what the numbers are. */
  static final String NOTE =
      "the bundled small model: 256-token context, trained by this project on CPU;"
          + " these are not LLaMA-2 numbers";

  /**
   * Runs the quickstart.
   *
   * @param fresh delete a previous output folder first (otherwise it is resumed)
   */
  public static Pipeline.Result run(QuickstartConfig c, boolean fresh, Pipeline.Listener listener) {
    c.warnings().forEach(w -> listener.message("warning: " + w));
    if (fresh) {
      AtomicFiles.deleteTree(c.output());
    }
    PipelineConfig preset = preset(c);
    listener.message("search: " + RunReport.budget(preset.searchLong()));
    return Pipeline.run(preset, Pipeline.Start.OWNED, SearchEngine.LOCAL, listener);
  }

  /** The text report of a finished run: budget, best fitness, the table, verdicts, wall times. */
  public static String text(QuickstartConfig c, Pipeline.Result r) {
    RunReport report = r.report();
    JsonNode s = report.summary();
    JsonNode t = s.get("seconds");
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "LongRoPE quickstart on %s (bundled small model, not LLaMA-2)%n"
                + "search budget: %s%nbest fitness (search split ppl at %d): %.3f after %d"
                + " evaluations%n%n",
            c.model(),
            report.budget(),
            c.targetLength(),
            s.get("best_fitness").asDouble(),
            s.get("evaluations").asInt()));
    sb.append(report.markdown()).append('\n');
    report.verdicts().forEach(v -> sb.append(v).append('\n'));
    sb.append(
        String.format(
            Locale.ROOT,
            "wall time: data %.0f s, search %.0f s, evaluation %.0f s, export %.0f s%n"
                + "written: %s (ppl.csv, ppl.md, ppl-vs-length.png, factors.png, search/,"
                + " export/)%n",
            t.get("data").asDouble(),
            t.get("search").asDouble(),
            t.get("eval").asDouble(),
            t.get("export").asDouble(),
            r.run()));
    return sb.toString();
  }

  /**
   * The pipeline config of a quickstart: stage 1 is the search ({@code search/}), the fine-tune and
   * the later searches are left out, the export keeps the searched factors as both sets ({@code
   * export/}), the table cuts the evaluation split into pieces of the longest length and sets every
   * method for L′, and the run-level report is on.
   */
  public static PipelineConfig preset(QuickstartConfig c) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("version", PipelineConfig.VERSION);
    o.put("run", c.output().toString());
    o.put("model", c.model().toString());
    Path corpus = Corpus.dataDir(c.datasets());
    ObjectNode data = o.putObject("data");
    data.put("search", corpus.resolve("search").toString());
    data.put("eval", corpus.resolve(c.evaluate().split()).toString());
    data.put("corpus", c.datasets().toString());
    ObjectNode search = o.putObject("search_long");
    search.put("target_length", c.targetLength());
    search.put("samples", c.samples());
    search.set("search", c.search().toJson());
    o.put("finetune", false);
    ObjectNode export = o.putObject("export");
    export.put("dtype", c.exportDtype());
    export.put("dir", "export");
    export.put("short_factors", "search");
    ObjectNode eval = o.putObject("evaluate");
    ArrayNode lengths = eval.putArray("lengths");
    c.evaluate().lengths().forEach(lengths::add);
    eval.put("samples", c.evaluate().samples());
    ArrayNode methods = eval.putArray("methods");
    c.evaluate().methods().forEach(methods::add);
    methods.add("search");
    eval.put("target_length", c.targetLength());
    eval.put("split_documents", true);
    eval.putObject("labels").put("search", FOUND);
    o.putObject("stage_dirs").put("search-long", "search");
    ObjectNode report = o.putObject("report");
    report.put("title", "Quickstart result");
    report.put("command", "./longrope quickstart");
    report.put("note", NOTE);
    return RunSpecs.convert(o, PipelineConfig.class, "quickstart preset", "pipeline config");
  }
}
