package io.github.longrope.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.Table;

/**
 * XChart figures from tables with named columns: generic builders (lines, heat map, grouped bars)
 * and the three figures of an evaluation report.
 *
 * <pre>{@code
 * XYChart ppl = Charts.perplexityVsLength(table);        // method, length, ppl
 * HeatMapChart hm = Charts.passkeyHeatMap(grid, "8x");  // length, depth, trials, correct
 * CategoryChart acc = Charts.accuracyBars(mc);          // task, method, accuracy[, stderr]
 * }</pre>
 *
 * <p>Every builder returns the chart for further styling; {@link ReportFiles#writePng} renders it.
 */
public final class Charts {
  /** Default figure size in pixels. */
  public static final int WIDTH = 800;

  public static final int HEIGHT = 500;

  /** The notebooks' figure size (small enough to read inline and keep notebooks light). */
  public static final int NOTEBOOK_WIDTH = 600;

  public static final int NOTEBOOK_HEIGHT = 340;

  static {
    Headless.ensure();
  }

  private Charts() {}

  /**
   * Tableau's ten colours: distinct on white and for the common colour-vision deficiencies
   * (XChart's default theme has a pale yellow that vanishes on white).
   */
  static final Color[] PALETTE = {
    new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759), new Color(0x76b7b2),
    new Color(0x59a14f), new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7),
    new Color(0x9c755f), new Color(0xbab0ac)
  };

  /** The label of a log2-axis tick: 2^v for whole v ("256"), none between. */
  static String powerOfTwoLabel(double log2) {
    long whole = Math.round(log2);
    if (Math.abs(log2 - whole) > 1e-9 || whole < 0 || whole > 62) {
      return "";
    }
    long v = 1L << whole;
    return v >= 1 << 20 && v % (1 << 20) == 0
        ? (v >> 20) + "M"
        : v >= 1 << 14 && v % 1024 == 0 ? (v >> 10) + "k" : Long.toString(v);
  }

  /**
   * One line per distinct value of {@code series} (in order of first appearance), points sorted by
   * x; rows with a missing x or y are skipped. With {@code logX} the series hold log2(x) on a
   * linear axis whose ticks are labelled 2^v (see {@link #powerOfTwoLabel}); x must then be
   * positive.
   */
  public static XYChart lines(Table t, String x, String y, String series, boolean logX) {
    return lines(t, x, y, series, logX, WIDTH, HEIGHT);
  }

  /** {@link #lines(Table, String, String, String, boolean)} at a given size in pixels. */
  public static XYChart lines(
      Table t, String x, String y, String series, boolean logX, int width, int height) {
    double[] xs = Columns.numbers(t, x);
    double[] ys = Columns.numbers(t, y);
    List<String> names = series == null ? null : Columns.strings(t, series);
    Map<String, TreeMap<Double, Double>> bySeries = new LinkedHashMap<>();
    for (int r = 0; r < xs.length; r++) {
      if (Double.isNaN(xs[r]) || Double.isNaN(ys[r])) {
        continue;
      }
      if (logX && xs[r] <= 0) {
        throw new IllegalArgumentException(
            "column '" + x + "' must be positive on a log axis, row " + r + " has " + xs[r]);
      }
      String name = names == null ? y : names.get(r);
      bySeries.computeIfAbsent(name, k -> new TreeMap<>()).put(xs[r], ys[r]);
    }
    XYChart chart = new XYChart(width, height, Styler.ChartTheme.XChart);
    chart.setXAxisTitle(x);
    chart.setYAxisTitle(y);
    if (logX) {
      // A log2 axis drawn as a linear axis over log2(x): lengths are powers of two, so the ticks
      // land on 256, 512, 1024, … and are labelled with them. (XChart's own log axis labels every
      // 1..9 × 10^k, which crowds "700800900" together, and ignores a label function.)
      chart.getStyler().setxAxisTickLabelsFormattingFunction(Charts::powerOfTwoLabel);
    }
    chart.getStyler().setSeriesColors(PALETTE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setMarkerSize(6);
    if (bySeries.isEmpty()) {
      throw new IllegalArgumentException("table '" + t.name() + "' has no rows to plot");
    }
    for (Map.Entry<String, TreeMap<Double, Double>> e : bySeries.entrySet()) {
      double[] px =
          e.getValue().keySet().stream()
              .mapToDouble(v -> logX ? Math.log(v) / Math.log(2) : v)
              .toArray();
      double[] py = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
      XYSeries s = chart.addSeries(e.getKey(), px, py);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }
    return chart;
  }

  /**
   * One line per entry of {@code series}, each value plotted against its index 0, 1, … (e.g. λᵢ of
   * several factor sets against the dimension i), in the map's order.
   */
  public static XYChart indexed(
      Map<String, double[]> series, String x, String y, int width, int height) {
    if (series.isEmpty()) {
      throw new IllegalArgumentException("no series to plot");
    }
    XYChart chart = new XYChart(width, height, Styler.ChartTheme.XChart);
    chart.setXAxisTitle(x);
    chart.setYAxisTitle(y);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setMarkerSize(4);
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      double[] ys = e.getValue();
      if (ys.length == 0) {
        throw new IllegalArgumentException("series '" + e.getKey() + "' is empty");
      }
      double[] xs = new double[ys.length];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = i;
      }
      chart.addSeries(e.getKey(), xs, ys).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }
    return chart;
  }

  /**
   * Perplexity against evaluation length on a log2 x axis, one line per {@code method}: columns
   * {@code method}, {@code length}, {@code ppl}, as in {@code eval.PerplexityGrid.table} (other
   * columns are ignored; with several data sets, chart one at a time).
   */
  public static XYChart perplexityVsLength(Table t) {
    return perplexityVsLength(t, WIDTH, HEIGHT);
  }

  /** {@link #perplexityVsLength(Table)} at a given size in pixels (notebooks: 600 × 340). */
  public static XYChart perplexityVsLength(Table t, int width, int height) {
    XYChart chart = lines(t, "length", "ppl", "method", true, width, height);
    chart.setTitle(t.name() == null || t.name().isEmpty() ? "perplexity" : t.name());
    chart.setXAxisTitle("evaluation length (tokens, log scale)");
    chart.setYAxisTitle("perplexity");
    return chart;
  }

  /**
   * A heat map of {@code value} over the numeric {@code x} and {@code y} columns (categories in
   * ascending order; y ascends upwards), coloured from red ({@code min}) to green ({@code max}).
   * Several rows for one cell: the last wins.
   */
  public static HeatMapChart heatMap(
      Table t, String x, String y, String value, double min, double max) {
    return heatMap(t, x, y, value, min, max, WIDTH, HEIGHT);
  }

  /** {@link #heatMap(Table, String, String, String, double, double)} at a given size. */
  public static HeatMapChart heatMap(
      Table t, String x, String y, String value, double min, double max, int width, int height) {
    double[] xs = Columns.numbers(t, x);
    double[] ys = Columns.numbers(t, y);
    double[] vs = Columns.numbers(t, value);
    TreeSet<Double> xKeys = new TreeSet<>();
    TreeSet<Double> yKeys = new TreeSet<>();
    for (int r = 0; r < xs.length; r++) {
      if (!Double.isNaN(xs[r]) && !Double.isNaN(ys[r])) {
        xKeys.add(xs[r]);
        yKeys.add(ys[r]);
      }
    }
    if (xKeys.isEmpty()) {
      throw new IllegalArgumentException(
          "table '" + t.name() + "' has no rows with both " + x + " and " + y);
    }
    List<Double> xList = new ArrayList<>(xKeys);
    List<Double> yList = new ArrayList<>(yKeys);
    List<Number[]> cells = new ArrayList<>();
    for (int r = 0; r < xs.length; r++) {
      if (!Double.isNaN(xs[r]) && !Double.isNaN(ys[r]) && !Double.isNaN(vs[r])) {
        cells.add(new Number[] {xList.indexOf(xs[r]), yList.indexOf(ys[r]), vs[r]});
      }
    }
    // (the theme-less constructor of XChart 3.8.8 leaves the heat map styles unset)
    HeatMapChart chart = new HeatMapChart(width, height, Styler.ChartTheme.XChart);
    chart.setXAxisTitle(x);
    chart.setYAxisTitle(y);
    chart
        .getStyler()
        .setRangeColors(
            new Color[] {
              new Color(0xd7, 0x30, 0x27), new Color(0xfe, 0xe0, 0x8b), new Color(0x1a, 0x98, 0x50)
            })
        .setMin(min)
        .setMax(max)
        .setShowValue(true)
        .setHeatMapValueDecimalPattern("0.##")
        .setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.addSeries(value, labels(xList), labels(yList), cells);
    return chart;
  }

  /**
   * The needle-in-a-haystack figure (docs/method.md, "Passkey heat map"): x context length, y
   * needle depth in %, colour retrieval accuracy in [0, 1]. Columns {@code length}, {@code depth},
   * {@code trials}, {@code correct}; rows without a depth (random-depth mode) are skipped.
   */
  public static HeatMapChart passkeyHeatMap(Table t, String title) {
    return passkeyHeatMap(t, title, WIDTH, HEIGHT);
  }

  /** {@link #passkeyHeatMap(Table, String)} at a given size in pixels. */
  public static HeatMapChart passkeyHeatMap(Table t, String title, int width, int height) {
    double[] trials = Columns.numbers(t, "trials");
    double[] correct = Columns.numbers(t, "correct");
    double[] acc = new double[trials.length];
    for (int i = 0; i < acc.length; i++) {
      acc[i] = trials[i] > 0 ? correct[i] / trials[i] : Double.NaN;
    }
    Table withAcc = Table.create(t.name());
    withAcc.addColumns(
        Columns.column(t, "length").copy(),
        Columns.column(t, "depth").copy(),
        tech.tablesaw.api.DoubleColumn.create("accuracy", acc));
    HeatMapChart chart = heatMap(withAcc, "length", "depth", "accuracy", 0, 1, width, height);
    chart.setTitle(title);
    chart.setXAxisTitle("context length (tokens)");
    chart.setYAxisTitle("needle depth (%)");
    return chart;
  }

  /**
   * Grouped bars: one group per distinct {@code category}, one bar colour per distinct {@code
   * series}, height {@code value}, optional error bars from {@code error} (null for none). Missing
   * combinations are drawn as 0.
   */
  public static CategoryChart bars(
      Table t, String category, String series, String value, String error) {
    List<String> cats = Columns.strings(t, category);
    List<String> sers = series == null ? null : Columns.strings(t, series);
    double[] vs = Columns.numbers(t, value);
    double[] es = error == null ? null : Columns.numbers(t, error);
    List<String> catKeys = new ArrayList<>(new java.util.LinkedHashSet<>(cats));
    Map<String, double[][]> bySeries = new LinkedHashMap<>();
    for (int r = 0; r < vs.length; r++) {
      String s = sers == null ? value : sers.get(r);
      double[][] ve = bySeries.computeIfAbsent(s, k -> new double[2][catKeys.size()]);
      int c = catKeys.indexOf(cats.get(r));
      ve[0][c] = Double.isNaN(vs[r]) ? 0 : vs[r];
      ve[1][c] = es == null || Double.isNaN(es[r]) ? 0 : es[r];
    }
    if (bySeries.isEmpty()) {
      throw new IllegalArgumentException("table '" + t.name() + "' has no rows to plot");
    }
    CategoryChart chart = new CategoryChart(WIDTH, HEIGHT, Styler.ChartTheme.XChart);
    chart.setXAxisTitle(category);
    chart.setYAxisTitle(value);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setOverlapped(false);
    for (Map.Entry<String, double[][]> e : bySeries.entrySet()) {
      List<Double> v = boxed(e.getValue()[0]);
      if (es == null) {
        chart.addSeries(e.getKey(), catKeys, v);
      } else {
        chart.addSeries(e.getKey(), catKeys, v, boxed(e.getValue()[1]));
      }
    }
    return chart;
  }

  /**
   * Accuracy per task, one bar per method, with standard-error bars when the table has a {@code
   * stderr} column: columns {@code task}, {@code method}, {@code accuracy}.
   */
  public static CategoryChart accuracyBars(Table t) {
    CategoryChart chart =
        bars(t, "task", "method", "accuracy", t.containsColumn("stderr") ? "stderr" : null);
    chart.setTitle(t.name() == null || t.name().isEmpty() ? "accuracy" : t.name());
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    return chart;
  }

  private static List<Double> boxed(double[] v) {
    List<Double> out = new ArrayList<>(v.length);
    for (double d : v) {
      out.add(d);
    }
    return out;
  }

  private static List<String> labels(List<Double> keys) {
    List<String> out = new ArrayList<>(keys.size());
    for (double k : keys) {
      out.add(
          Math.rint(k) == k
              ? Long.toString((long) k)
              : String.format(Locale.ROOT, "%.4g", k).replaceAll("\\.?0+$", ""));
    }
    return out;
  }
}
