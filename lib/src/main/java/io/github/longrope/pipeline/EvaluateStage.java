package io.github.longrope.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.data.Documents;
import io.github.longrope.data.SplitDocuments;
import io.github.longrope.eval.EvalModel;
import io.github.longrope.eval.Perplexity;
import io.github.longrope.eval.PerplexityGrid;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.Placement;
import io.github.longrope.report.Charts;
import io.github.longrope.report.Markdown;
import io.github.longrope.report.Pivot;
import io.github.longrope.report.ReportFiles;
import io.github.longrope.rope.RopeNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * The final table: perplexity of every method at every length on the evaluation split, as a {@link
 * PerplexityGrid} whose cells are appended to {@code cells.jsonl} as they finish (a 16k cell takes
 * a minute on two cores), so an interrupted table resumes at the first missing cell; the finished
 * table is {@code table.csv}, {@code table.md} (methods × lengths) and {@code perplexity.png}.
 *
 * <p>Baselines run on the BASE model because that is the comparison the method makes: what the
 * pipeline's fine-tuning and searches buy over rescaling the original model. {@code extended} is
 * evaluated from the exported directory, reloaded from disk, so the table measures the deliverable.
 */
final class EvaluateStage {
  private EvaluateStage() {}

  static final String CELLS = "cells.jsonl";

  /** The grid's one data set: the evaluation split (cells recorded without a data set are it). */
  static final String DATASET = "eval";

  static ObjectNode run(
      PipelineConfig config,
      StageRecord searchLong,
      StageRecord finetune,
      StageRecord export,
      Path run,
      Path dir,
      Pipeline.Listener listener) {
    EvaluateSpec spec = config.evaluate();
    Path base = Path.of(config.model());
    ModelConfig baseConfig = HfModelConfig.read(base).config();
    Path data = Path.of(spec.data() != null ? spec.data() : config.data().eval());
    int longest = Collections.max(spec.lengths());
    Documents docs =
        DocumentSources.open(data, () -> HfTokenizer.load(base), config.data().field());
    if (spec.splits()) {
      docs = new SplitDocuments(docs, longest);
    }
    int minTokens = spec.minTokens() != null ? spec.minTokens() : longest;
    PerplexityGrid grid =
        new PerplexityGrid(
            new Perplexity(2, spec.stride(), spec.samples(), minTokens, spec.truncate()),
            spec.lengths(),
            baseConfig.originalLength(),
            spec.targetLength());
    if (grid.at(2).eligible(docs).isEmpty()) {
      throw new FormatException(
          data.toString(),
          "",
          "no document has at least " + minTokens + " tokens (evaluate.min_tokens)");
    }
    EvalModel baseModel = model("base", base, baseConfig, config);
    List<PerplexityGrid.Setting> settings = new ArrayList<>();
    for (String m : spec.methods()) {
      settings.add(
          setting(m, spec.label(m), grid, baseModel, searchLong, finetune, export, run, config));
    }
    List<PerplexityGrid.Cell> cells =
        grid.run(
            settings,
            List.of(new PerplexityGrid.Dataset(DATASET, docs)),
            dir.resolve(CELLS),
            listener::cellDone);
    Table t = table(cells);
    ReportFiles.writeCsv(t, dir.resolve("table.csv"));
    String md =
        "# Perplexity after each stage\n\n"
            + "Rows: method (model); columns: evaluation length; data: `"
            + data
            + "`.\n\n"
            + Markdown.table(Pivot.wide(t, List.of("method", "model"), "length", "ppl"))
            + "\n![perplexity](perplexity.png)\n";
    ReportFiles.writeMarkdown(md, dir.resolve("table.md"));
    Table chart = t.copy();
    chart.setName("perplexity vs length");
    ReportFiles.writePng(Charts.perplexityVsLength(chart), dir.resolve("perplexity.png"));
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("table", Pipeline.relative(run, dir.resolve("table.csv")));
    out.put("markdown", Pipeline.relative(run, dir.resolve("table.md")));
    out.put("data", data.toString());
    ArrayNode rows = out.putArray("rows");
    cells.forEach(c -> rows.add(c.toJson()));
    return out;
  }

  /** A method as the grid runs it: on which model, with which RoPE at each length. */
  private static PerplexityGrid.Setting setting(
      String method,
      String name,
      PerplexityGrid grid,
      EvalModel base,
      StageRecord searchLong,
      StageRecord finetune,
      StageRecord export,
      Path run,
      PipelineConfig config) {
    switch (method) {
      case "search":
        return PerplexityGrid.Setting.fixed(
            name,
            base,
            HfRopeConfig.parseScaling(
                searchLong.value("rope_scaling"), base.config().rope().pairs(), "stage 1"));
      case "finetuned":
        return ownRope(name, finetune.path(run, "model"), config);
      case "extended":
        return ownRope(name, export.path(run, "model"), config);
      default:
        return grid.method(
            name,
            base,
            RopeNames.method(method, base.config().rope(), base.config().originalLength()));
    }
  }

  /** A model of the pipeline's own, with the RoPE its config states. */
  private static PerplexityGrid.Setting ownRope(String name, Path dir, PipelineConfig pipeline) {
    ModelConfig config = HfModelConfig.read(dir).config();
    return PerplexityGrid.Setting.fixed(
        name, model(name, dir, config, pipeline), config.ropeScaling());
  }

  /** A model as the pipeline evaluates it: its attention chunk, in the pipeline's dtype. */
  private static EvalModel model(String name, Path dir, ModelConfig c, PipelineConfig pipeline) {
    return new EvalModel(
        name, dir, c, Pipeline.ATTENTION_CHUNK, pipeline.precision(), Placement.AUTO);
  }

  /**
   * The pipeline's table: method, model, length, scale, ppl, tokens, documents, seconds (the grid's
   * schema without the one data set and the window count).
   */
  static Table table(List<PerplexityGrid.Cell> cells) {
    return PerplexityGrid.table("perplexity", cells)
        .selectColumns(
            "method", "model", "length", "scale", "ppl", "tokens", "documents", "seconds");
  }

  /** The cells of a finished table, from its marker. */
  static List<PerplexityGrid.Cell> cells(StageRecord evaluate) {
    List<PerplexityGrid.Cell> out = new ArrayList<>();
    for (JsonNode row : evaluate.value("rows")) {
      out.add(PerplexityGrid.Cell.fromJson(row, DATASET));
    }
    return out;
  }
}
