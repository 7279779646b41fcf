package io.github.longrope.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.eval.Baselines;
import io.github.longrope.eval.PerplexityGrid;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.report.Charts;
import io.github.longrope.report.Markdown;
import io.github.longrope.report.Pivot;
import io.github.longrope.report.ReportFiles;
import io.github.longrope.rope.RopeNames;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.search.SearchConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import tech.tablesaw.api.Table;

/**
 * The run-level files of a config with a {@code report} ({@link ReportSpec}), written into the run
 * folder after every run from the stage markers alone (so a run whose stages were all done before
 * writes the same files): {@code ppl.csv}, {@code ppl.md}, {@code ppl-vs-length.png}, {@code
 * factors.csv}, {@code factors.png}, {@code summary.json}, {@code README.md}.
 *
 * <p>The "found" row is the pipeline's deliverable as the table names it: {@code extended} when the
 * table has it, else {@code search} (stage 1's factors on the base model); at each length from
 * stage 1's target on, the report says whether it beats every baseline there.
 *
 * @param summary what {@code summary.json} holds (also the quickstart's {@code --json} output)
 * @param wide the table with lengths down and rows across
 * @param verdicts one line per length ≥ stage 1's target: whether the found row beats every
 *     baseline
 */
public record RunReport(ObjectNode summary, Table wide, List<String> verdicts) {

  /** The table as Markdown (lengths down, rows across). */
  public String markdown() {
    return Markdown.table(wide);
  }

  /** The search budget in words ({@code summary.json}'s {@code budget}). */
  public String budget() {
    return summary.get("budget").asText();
  }

  static RunReport write(PipelineConfig c, Pipeline.Result r) {
    Path out = r.run();
    EvaluateSpec e = c.evaluate();
    List<PerplexityGrid.Cell> cells = EvaluateStage.cells(r.record(Stage.EVALUATE));
    int target = c.searchLong().targetLength();
    int set = e.targetLength() > 0 ? e.targetLength() : target;
    Table table =
        PerplexityGrid.table(
                e.targetLength() > 0
                    ? "perplexity, every method set for " + e.targetLength()
                    : "perplexity",
                cells)
            .selectColumns("method", "length", "scale", "ppl", "tokens", "windows", "seconds");
    Table wide = Pivot.wide(table, List.of("length"), "method", "ppl");
    wide.setName(table.name());
    String found = e.label(e.methods().contains("extended") ? "extended" : "search");
    Map<Integer, Boolean> wins = wins(cells, found, target, c);
    List<String> verdicts = new ArrayList<>();
    wins.forEach(
        (len, w) ->
            verdicts.add(
                String.format(
                    Locale.ROOT,
                    "at %d the found factors %s every baseline",
                    len,
                    w ? "beat" : "do NOT beat")));
    ObjectNode rope = r.record(Stage.EXPORT).value("rope_scaling").deepCopy();
    ObjectNode summary = summary(c, r, rope, wins, table);
    RunReport report = new RunReport(summary, wide, verdicts);

    ReportFiles.writeCsv(table, out.resolve("ppl.csv"));
    ReportFiles.writeMarkdown(report.markdown(), out.resolve("ppl.md"));
    ReportFiles.writePng(Charts.perplexityVsLength(table), out.resolve("ppl-vs-length.png"));
    Table factors = factors(c, r, set);
    ReportFiles.writeCsv(factors, out.resolve("factors.csv"));
    var chart = Charts.lines(factors, "dimension", "factor", "method", false);
    chart.setTitle(factors.name());
    ReportFiles.writePng(chart, out.resolve("factors.png"));
    AtomicFiles.writeString(out.resolve("summary.json"), Json.write(summary));
    AtomicFiles.writeString(out.resolve("README.md"), RunReadme.text(c, r, report));
    return report;
  }

  /** For each length ≥ {@code target}: does the found row beat every baseline there? */
  private static Map<Integer, Boolean> wins(
      List<PerplexityGrid.Cell> cells, String found, int target, PipelineConfig c) {
    List<String> baselines = new ArrayList<>();
    for (String m : c.evaluate().methods()) {
      if (RopeNames.METHODS.contains(m)) {
        baselines.add(c.evaluate().label(m));
      }
    }
    Map<Integer, Double> mine = new LinkedHashMap<>();
    Map<Integer, Double> best = new LinkedHashMap<>();
    for (PerplexityGrid.Cell x : cells) {
      if (x.length() < target) {
        continue;
      }
      if (x.method().equals(found)) {
        mine.put(x.length(), x.ppl());
      } else if (baselines.contains(x.method())) {
        best.merge(x.length(), x.ppl(), Math::min);
      }
    }
    Map<Integer, Boolean> out = new LinkedHashMap<>();
    mine.forEach((len, ppl) -> out.put(len, ppl < best.getOrDefault(len, Double.MAX_VALUE)));
    return out;
  }

  private static ObjectNode summary(
      PipelineConfig c,
      Pipeline.Result r,
      ObjectNode rope,
      Map<Integer, Boolean> wins,
      Table table) {
    StageRecord search = r.record(Stage.SEARCH_LONG);
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("model", c.model());
    o.put("target_length", c.searchLong().targetLength());
    o.put("budget", budget(c.searchLong()));
    o.put("best_fitness", search.value("fitness").asDouble());
    o.put("evaluations", search.value("evaluations").asInt());
    o.set("rope_scaling", rope);
    ObjectNode w = o.putObject("found_beats_every_baseline");
    wins.forEach((len, b) -> w.put(String.valueOf(len), b));
    ArrayNode rows = o.putArray("rows");
    for (int i = 0; i < table.rowCount(); i++) {
      ObjectNode x = rows.addObject();
      x.put("method", table.stringColumn("method").get(i));
      x.put("length", table.intColumn("length").get(i));
      x.put("ppl", table.doubleColumn("ppl").get(i));
      x.put("windows", table.intColumn("windows").get(i));
    }
    ObjectNode t = o.putObject("seconds");
    t.put("data", r.dataSeconds());
    t.put(
        "search",
        seconds(r, Stage.SEARCH_LONG)
            + seconds(r, Stage.SEARCH_RELATIVE)
            + seconds(r, Stage.SEARCH_SHORT));
    if (c.fineTunes()) {
      t.put("finetune", seconds(r, Stage.FINETUNE));
    }
    t.put("eval", seconds(r, Stage.EVALUATE));
    t.put("export", seconds(r, Stage.EXPORT));
    return o;
  }

  /** Wall time of the session that completed a stage (0 for one the config leaves out). */
  private static double seconds(Pipeline.Result r, Stage s) {
    return r.record(s).seconds();
  }

  /** Stage 1's budget in words. */
  public static String budget(SearchStageSpec s) {
    SearchConfig search = s.searchConfig();
    return String.format(
        Locale.ROOT,
        "%s, population %d, %d iterations of %d mutations + %d crossovers, %d parents, seed %d;"
            + " fitness: %s at %d on %d search-validation documents",
        search.algorithm(),
        search.population(),
        search.iterations(),
        search.mutations(),
        search.crossovers(),
        search.parents(),
        search.seed(),
        s.fitness().equals("ppl") ? "perplexity" : "needle retrieval",
        s.targetLength(),
        s.samples());
  }

  /** Each row's λ per dimension, every method set for {@code set} (as in the table). */
  private static Table factors(PipelineConfig c, Pipeline.Result r, int set) {
    ModelConfig base = HfModelConfig.read(Path.of(c.model())).config();
    Map<String, DoubleFunction<RopeScaling>> methods = new LinkedHashMap<>();
    for (String m : c.evaluate().methods()) {
      RopeScaling own =
          switch (m) {
            case "search" ->
                HfRopeConfig.parseScaling(
                    r.record(Stage.SEARCH_LONG).value("rope_scaling"),
                    base.rope().pairs(),
                    "stage 1");
            case "finetuned" ->
                HfModelConfig.read(r.record(Stage.FINETUNE).path(r.run(), "model"))
                    .config()
                    .ropeScaling();
            case "extended" -> HfModelConfig.read(r.exported()).config().ropeScaling();
            default -> null;
          };
      methods.put(
          c.evaluate().label(m),
          own != null ? s -> own : RopeNames.method(m, base.rope(), base.originalLength()));
    }
    return Baselines.factorTable(methods, base.rope(), (double) set / base.originalLength(), set);
  }
}
