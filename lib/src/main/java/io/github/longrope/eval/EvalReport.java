package io.github.longrope.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.report.Charts;
import io.github.longrope.report.Markdown;
import io.github.longrope.report.Pivot;
import io.github.longrope.report.ReportFiles;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Writes an {@link EvalSuite.Report} as one results folder: {@code config.json} (the resolved
 * plan), CSV tables, PNG charts and {@code summary.md} tying them together (the folder layout is
 * listed on {@link EvalSuite}). Kept apart from the suite so that running and reporting can be read
 * (and changed) separately; notebooks use the tables directly and never need this class.
 */
public final class EvalReport {
  private EvalReport() {}

  /** Writes the results folder. */
  public static void write(EvalSuite.Report r, Path dir) {
    AtomicFiles.writeString(dir.resolve("config.json"), r.config().toJson());
    StringBuilder md = new StringBuilder("# Evaluation report\n\n");
    md.append("Plan: [`config.json`](config.json) (resolved). Settings:\n\n");
    md.append(Markdown.table(settingsTable(r.settings()))).append('\n');
    if (r.perplexity().rowCount() > 0) {
      ReportFiles.writeCsv(r.perplexity(), dir.resolve("perplexity.csv"));
      md.append("## Perplexity\n\n");
      md.append("Official protocol (BOS per window; ")
          .append(
              r.config().perplexity().truncate()
                  ? "truncated: one window per document"
                  : "sliding window, stride " + r.config().perplexity().stride())
          .append(
              "). Rows: setting; columns: evaluation length. [`perplexity.csv`](perplexity.csv)\n\n");
      for (String dataset : distinct(r.perplexity(), "dataset")) {
        Table rows =
            r.perplexity().where(r.perplexity().stringColumn("dataset").isEqualTo(dataset));
        Table chart = rows.selectColumns("setting", "length", "ppl");
        chart.column("setting").setName("method");
        chart.setName("perplexity: " + dataset);
        String png = "perplexity-" + fileName(dataset) + ".png";
        ReportFiles.writePng(Charts.perplexityVsLength(chart), dir.resolve(png));
        md.append("### ").append(dataset).append("\n\n");
        md.append(Markdown.table(Pivot.wide(rows, List.of("setting"), "length", "ppl")));
        md.append("\n![perplexity ").append(dataset).append("](").append(png).append(")\n\n");
      }
    }
    if (r.passkey() != null && r.passkey().rowCount() > 0) {
      Table pk = r.passkey();
      ReportFiles.writeCsv(pk, dir.resolve("passkey.csv"));
      ReportFiles.writeCsv(r.passkeyTrials(), dir.resolve("passkey-trials.csv"));
      md.append("## Passkey retrieval\n\n");
      md.append("Accuracy by context length (mean over depths; trials per cell: ")
          .append(r.config().passkey().trials())
          .append(", greedy, ")
          .append(r.config().passkey().maxNewTokens())
          .append(
              " new tokens). [`passkey.csv`](passkey.csv), [`passkey-trials.csv`](passkey-trials.csv)\n\n");
      md.append(Markdown.table(Pivot.wide(pk, List.of("setting"), "length", "accuracy")))
          .append('\n');
      if (r.config().passkey().depths() > 0) {
        for (String setting : distinct(pk, "setting")) {
          Table rows = pk.where(pk.stringColumn("setting").isEqualTo(setting));
          String png = "passkey-" + fileName(setting) + ".png";
          ReportFiles.writePng(
              Charts.passkeyHeatMap(rows, "passkey: " + setting), dir.resolve(png));
          md.append("![passkey ").append(setting).append("](").append(png).append(")\n");
        }
      } else {
        Table chart = pk.selectColumns("setting", "length", "accuracy");
        chart.setName("passkey accuracy");
        ReportFiles.writePng(
            Charts.lines(chart, "length", "accuracy", "setting", true), dir.resolve("passkey.png"));
        md.append("![passkey](passkey.png)\n");
      }
      md.append('\n');
    }
    if (r.mc().rowCount() > 0) {
      ReportFiles.writeCsv(r.mc(), dir.resolve("mc.csv"));
      Table chart = r.mc().selectColumns("setting", "task", "accuracy", "stderr");
      chart.column("setting").setName("method");
      chart.setName("multiple choice: accuracy ± standard error");
      ReportFiles.writePng(Charts.accuracyBars(chart), dir.resolve("mc.png"));
      md.append("## Multiple choice\n\n");
      md.append(
          "Log-likelihood scoring; `accuracy` = highest sum log-likelihood, `accuracy_norm` = per character; ± standard error. [`mc.csv`](mc.csv)\n\n");
      md.append(
          Markdown.table(
              r.mc()
                  .selectColumns(
                      "setting",
                      "task",
                      "n",
                      "shots",
                      "accuracy",
                      "stderr",
                      "accuracy_norm",
                      "stderr_norm",
                      "p_true")));
      md.append("\n![multiple choice](mc.png)\n\n");
    }
    if (r.boundary() != null && r.boundary().rowCount() > 0) {
      Table b = r.boundary();
      ReportFiles.writeCsv(b, dir.resolve("boundary.csv"));
      md.append("## Short/long boundary\n\n");
      md.append(
          "Prompts ending just below the original length, answers generated past it; `exact` = the cached generation equals greedy decoding by full forwards. [`boundary.csv`](boundary.csv)\n\n");
      md.append(Markdown.table(boundarySummary(b))).append('\n');
    }
    if (!r.warnings().isEmpty()) {
      md.append("## Warnings\n\n");
      r.warnings().forEach(w -> md.append("- ").append(w).append('\n'));
      md.append('\n');
    }
    ReportFiles.writeMarkdown(md.toString(), dir.resolve("summary.md"));
  }

  /**
   * Per setting (when the table has a {@code setting} column) and policy: trials, how many crossed
   * L, how many were exact, how many retrieved the key.
   */
  public static Table boundarySummary(Table b) {
    boolean bySetting = b.containsColumn("setting");
    Map<List<String>, int[]> counts = new LinkedHashMap<>();
    for (int i = 0; i < b.rowCount(); i++) {
      List<String> key =
          List.of(
              bySetting ? b.stringColumn("setting").get(i) : "", b.stringColumn("policy").get(i));
      int[] c = counts.computeIfAbsent(key, k -> new int[4]);
      c[0]++;
      c[1] += b.booleanColumn("crossed").get(i) ? 1 : 0;
      c[2] += b.booleanColumn("exact").get(i) ? 1 : 0;
      c[3] += b.booleanColumn("retrieved").get(i) ? 1 : 0;
    }
    StringColumn setting = StringColumn.create("setting");
    StringColumn policy = StringColumn.create("policy");
    IntColumn trials = IntColumn.create("trials");
    IntColumn crossed = IntColumn.create("crossed");
    IntColumn exact = IntColumn.create("exact");
    IntColumn retrieved = IntColumn.create("retrieved");
    counts.forEach(
        (k, c) -> {
          setting.append(k.get(0));
          policy.append(k.get(1));
          trials.append(c[0]);
          crossed.append(c[1]);
          exact.append(c[2]);
          retrieved.append(c[3]);
        });
    Table out = Table.create("boundary", setting, policy, trials, crossed, exact, retrieved);
    return bySetting ? out : out.removeColumns("setting");
  }

  static Table settingsTable(List<EvalSuite.Resolved> settings) {
    Table t =
        Table.create(
            "settings",
            StringColumn.create("setting"),
            StringColumn.create("model"),
            StringColumn.create("rope"));
    for (EvalSuite.Resolved r : settings) {
      t.stringColumn("setting").append(r.name());
      t.stringColumn("model").append(r.setting().model());
      t.stringColumn("rope").append(describe(r.scaling()));
    }
    return t;
  }

  /** The HF rope_scaling object of a variant, factor lists shortened to their length. */
  public static String describe(RopeScaling scaling) {
    ObjectNode o = HfRopeConfig.toJson(scaling);
    List<String> keys = new ArrayList<>();
    o.fieldNames().forEachRemaining(keys::add);
    for (String k : keys) {
      if (o.get(k).isArray()) {
        o.put(k, "[" + o.get(k).size() + " values]");
      }
    }
    return o.toString();
  }

  static List<String> distinct(Table t, String column) {
    List<String> out = new ArrayList<>();
    Column<?> c = t.column(column);
    for (int i = 0; i < c.size(); i++) {
      String v = c.getString(i);
      if (!out.contains(v)) {
        out.add(v);
      }
    }
    return out;
  }

  static String fileName(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "-").toLowerCase(Locale.ROOT);
  }
}
