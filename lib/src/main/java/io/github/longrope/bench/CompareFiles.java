package io.github.longrope.bench;

import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.Json;
import io.github.longrope.report.Markdown;
import io.github.longrope.report.ReportFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The files of {@code bench search --compare}: {@code compare.json} (the report), {@code
 * compare.csv} (the rows), {@code compare.md} (the medians per strategy, then the rows), {@code
 * best-vs-tokens.png} (best fitness over forward tokens: per strategy the median over seeds as a
 * thick line, each seed as a thin line of the same colour).
 */
final class CompareFiles {
  private CompareFiles() {}

  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)
  };

  static void write(Path dir, SearchCompare.Report r) {
    AtomicFiles.writeString(dir.resolve("compare.json"), Json.write(r));
    Table t = table(r);
    ReportFiles.writeCsv(t, dir.resolve("compare.csv"));
    ReportFiles.writeMarkdown(
        "Median over seeds (of an even count the worse middle one):\n\n"
            + Markdown.table(r.summaryTable())
            + "\nEvery run:\n\n"
            + Markdown.table(t),
        dir.resolve("compare.md"));
    ReportFiles.writePng(chart(r), dir.resolve("best-vs-tokens.png"));
  }

  /**
   * The rows, one per run, in the column order and then the run's totals; a strategy that
   * never reached the target has an empty {@code tokens_to_target}. Fitness is text with four
   * decimals so that the Markdown shows the differences that decide the target.
   */
  static Table table(SearchCompare.Report r) {
    Table t =
        Table.create(
            "compare",
            StringColumn.create("strategy"),
            LongColumn.create("seed"),
            LongColumn.create("tokens_to_target"),
            DoubleColumn.create("seconds"),
            StringColumn.create("final_fitness"),
            DoubleColumn.create("heldout_ppl_2048"),
            DoubleColumn.create("heldout_ppl_4096"),
            LongColumn.create("evaluations"),
            LongColumn.create("rejected"),
            LongColumn.create("forward_tokens"));
    for (SearchCompare.Row x : r.rows()) {
      Row row = t.appendRow();
      row.setString("strategy", x.strategy());
      row.setLong("seed", x.seed());
      if (x.tokensToTarget() != null) {
        row.setLong("tokens_to_target", x.tokensToTarget());
      }
      if (x.seconds() != null) {
        row.setDouble("seconds", x.seconds());
      }
      row.setString("final_fitness", String.format(Locale.ROOT, "%.4f", x.finalFitness()));
      row.setDouble("heldout_ppl_2048", x.heldoutPpl2048());
      row.setDouble("heldout_ppl_4096", x.heldoutPpl4096());
      row.setLong("evaluations", x.evaluations());
      row.setLong("rejected", x.rejected());
      row.setLong("forward_tokens", x.forwardTokens());
    }
    return t;
  }

  /** Best-so-far fitness of a curve at {@code tokens} (+∞ before its first point). */
  static double at(List<double[]> curve, double tokens) {
    double best = Double.POSITIVE_INFINITY;
    for (double[] p : curve) {
      if (p[0] <= tokens) {
        best = Math.min(best, p[1]);
      }
    }
    return best;
  }

  static XYChart chart(SearchCompare.Report r) {
    XYChart chart = new XYChart(900, 520, Styler.ChartTheme.XChart);
    chart.setTitle("best fitness vs forward tokens (median of seeds thick, each seed thin)");
    chart.setXAxisTitle("forward tokens (millions)");
    chart.setYAxisTitle("best fitness (ppl at " + r.targetLength() + ")");
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setXAxisDecimalPattern("0.0");
    Map<String, List<SearchCompare.Row>> by = new LinkedHashMap<>();
    double maxTokens = 0;
    for (SearchCompare.Row x : r.rows()) {
      by.computeIfAbsent(x.strategy(), k -> new ArrayList<>()).add(x);
      maxTokens = Math.max(maxTokens, x.forwardTokens());
    }
    int k = 0;
    int points = 200;
    for (Map.Entry<String, List<SearchCompare.Row>> e : by.entrySet()) {
      Color color = COLORS[k++ % COLORS.length];
      Color light = new Color(color.getRed(), color.getGreen(), color.getBlue(), 90);
      double[][] ys = new double[e.getValue().size()][points];
      double[] xs = new double[points];
      for (int i = 0; i < points; i++) {
        xs[i] = maxTokens * (i + 1) / points;
      }
      for (int s = 0; s < ys.length; s++) {
        SearchCompare.Row x = e.getValue().get(s);
        List<Double> px = new ArrayList<>();
        List<Double> py = new ArrayList<>();
        for (int i = 0; i < points; i++) {
          ys[s][i] = at(x.bestVsTokens(), xs[i]);
          if (Double.isFinite(ys[s][i]) && xs[i] <= x.forwardTokens()) {
            px.add(xs[i] / 1e6);
            py.add(ys[s][i]);
          }
        }
        if (!px.isEmpty()) {
          XYSeries line = chart.addSeries(e.getKey() + " seed " + x.seed(), px, py);
          line.setLineColor(light);
          line.setLineStyle(new BasicStroke(1.2f));
          line.setMarker(SeriesMarkers.NONE);
          line.setShowInLegend(false);
        }
      }
      List<Double> mx = new ArrayList<>();
      List<Double> my = new ArrayList<>();
      for (int i = 0; i < points; i++) {
        double[] col = new double[ys.length];
        for (int s = 0; s < ys.length; s++) {
          col[s] = ys[s][i];
        }
        java.util.Arrays.sort(col);
        double m = col[col.length / 2];
        if (Double.isFinite(m)) {
          mx.add(xs[i] / 1e6);
          my.add(m);
        }
      }
      if (!mx.isEmpty()) {
        XYSeries median = chart.addSeries(e.getKey(), mx, my);
        median.setLineColor(color);
        // racing dashed: evolution + racing can follow the evolution's path exactly
        median.setLineStyle(
            e.getKey().endsWith("+racing")
                ? new BasicStroke(
                    3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {10, 6}, 0)
                : new BasicStroke(3f));
        median.setMarker(SeriesMarkers.NONE);
      }
    }
    XYSeries target =
        chart.addSeries(
            "target (paper evolution, median final)",
            new double[] {0, maxTokens / 1e6},
            new double[] {r.target(), r.target()});
    target.setLineColor(Color.GRAY);
    target.setLineStyle(
        new BasicStroke(
            1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6, 4}, 0));
    target.setMarker(SeriesMarkers.NONE);
    return chart;
  }
}
