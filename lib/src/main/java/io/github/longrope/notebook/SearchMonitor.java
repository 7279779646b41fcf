package io.github.longrope.notebook;

import io.github.longrope.report.Charts;
import io.github.longrope.report.RecordTables;
import io.github.longrope.search.Candidate;
import io.github.longrope.search.HistoryEntry;
import io.github.longrope.search.RunRecord;
import io.github.longrope.search.SearchListener;
import io.github.longrope.search.SearchProgress;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Table;

/**
 * A {@link SearchListener} that keeps a running search as a table (one row per generation) and a
 * chart (every candidate's fitness by generation, the best so far as a line), and calls back after
 * every candidate and generation — in a notebook, to redraw a live display:
 *
 * <pre>{@code
 * SearchMonitor monitor = SearchMonitor.of(runDir);          // earlier candidates from history.jsonl
 * String table = display(monitor.table()), chart = display(monitor.chart());
 * monitor.onUpdate(m -> { updateDisplay(table, m.table()); updateDisplay(chart, m.chart()); });
 * SearchJob.run(spec, runDir, resume, 1, 512, monitor);
 * }</pre>
 *
 * <p>{@link #stopAfter} interrupts the search's thread when a generation finishes, as the
 * notebook's stop button would: the search ends with a {@code CancellationException} and its run
 * directory resumes where it stopped. After a stop (either way) the table's last redraw reads
 * {@code stopped}, and its title and {@link #summary()} say where it stopped, how many candidates
 * the run's history holds and that re-running resumes. All listener calls come from the search's
 * thread.
 */
public final class SearchMonitor implements SearchListener {
  private final List<HistoryEntry> earlier;
  private final Path runDir; // null: the search keeps its candidates in memory
  private final Map<Integer, Generation> generations = new LinkedHashMap<>();
  private final List<double[]> fresh = new ArrayList<>(); // {generation, fitness}
  private final long started = System.nanoTime();
  private Consumer<SearchMonitor> onUpdate = m -> {};
  private int stopAfter = Integer.MAX_VALUE;
  private SearchProgress last;
  private boolean stopped;

  /** Counts of one generation. */
  private static final class Generation {
    int candidates;
    int evaluated;
    double best = Double.POSITIVE_INFINITY;
    double bestSoFar = Double.NaN;
    double seconds = Double.NaN;
    boolean done;
  }

  private SearchMonitor(List<HistoryEntry> earlier, Path runDir) {
    this.earlier = List.copyOf(earlier);
    this.runDir = runDir;
  }

  /** A monitor with no earlier candidates (and no run directory to name after a stop). */
  public static SearchMonitor create() {
    return new SearchMonitor(List.of(), null);
  }

  /**
   * A monitor that also shows the candidates already in {@code runDir}'s history (a run about to
   * resume: those are the ones the search takes from its cache).
   */
  public static SearchMonitor of(Path runDir) {
    Path history = runDir.resolve(RunRecord.HISTORY);
    return new SearchMonitor(
        Files.isRegularFile(history) ? RunRecord.readHistory(history) : List.of(), runDir);
  }

  /** Called (on the search's thread) after every evaluated candidate and every generation. */
  public SearchMonitor onUpdate(Consumer<SearchMonitor> callback) {
    this.onUpdate = callback == null ? m -> {} : callback;
    return this;
  }

  /**
   * Interrupts the search's thread when {@code generation} finishes (unless it is the last), so
   * that the search stops there with a {@code CancellationException}, as after the stop button.
   */
  public SearchMonitor stopAfter(int generation) {
    this.stopAfter = generation;
    return this;
  }

  /** Candidates the run directory's history held when this monitor was made. */
  public int earlierCandidates() {
    return earlier.size();
  }

  /** The latest progress, or null before the first generation finished. */
  public SearchProgress progress() {
    return last;
  }

  @Override
  public void generationStarted(int generation, int total, int candidates) {
    generations.computeIfAbsent(generation, g -> new Generation()).candidates += candidates;
    onUpdate.accept(this);
  }

  @Override
  public void candidateEvaluated(Candidate candidate, double fitness, SearchProgress progress) {
    Generation g = generations.computeIfAbsent(progress.generation(), k -> new Generation());
    g.evaluated++;
    g.best = Math.min(g.best, fitness);
    fresh.add(new double[] {progress.generation(), fitness});
    last = progress;
    onUpdate.accept(this);
  }

  @Override
  public void generationFinished(int generation, SearchProgress progress) {
    Generation g = generations.computeIfAbsent(generation, k -> new Generation());
    g.done = true;
    g.bestSoFar = progress.bestFitness();
    g.seconds = (System.nanoTime() - started) / 1e9;
    last = progress;
    onUpdate.accept(this);
    if (generation >= stopAfter && generation < progress.generations()) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void searchStopped(SearchProgress progress) {
    stopped = true;
    last = progress;
    onUpdate.accept(this);
  }

  /** Whether the search was stopped (interrupt, stop button or {@link #stopAfter}). */
  public boolean stopped() {
    return stopped;
  }

  /**
   * Where the search stands, in one line: {@code "running: generation 1 of 3, best 342.29"}, or
   * after a stop {@code "stopped in generation 0 (5 of 12 candidates evaluated); best 343.09; 5
   * candidates saved in …/history.jsonl: re-running the same search resumes from them"}.
   */
  public String summary() {
    String best =
        last != null && Double.isFinite(last.bestFitness())
            ? String.format(java.util.Locale.ROOT, "; best %.2f", last.bestFitness())
            : "";
    if (!stopped) {
      if (last == null) {
        return "not started";
      }
      boolean finished =
          last.generation() == last.generations()
              && generations.containsKey(last.generation())
              && generations.get(last.generation()).done;
      return (finished ? "finished: " : "running: ")
          + "generation "
          + last.generation()
          + " of "
          + last.generations()
          + best;
    }
    StringBuilder sb = new StringBuilder("stopped ");
    Map.Entry<Integer, Generation> open = null;
    Integer lastDone = null;
    for (Map.Entry<Integer, Generation> e : generations.entrySet()) {
      if (e.getValue().done) {
        lastDone = e.getKey();
      } else {
        open = e;
      }
    }
    if (open != null) {
      sb.append("in generation ")
          .append(open.getKey())
          .append(" (")
          .append(open.getValue().evaluated)
          .append(" of ")
          .append(open.getValue().candidates)
          .append(" candidates evaluated now)");
    } else if (lastDone != null) {
      sb.append("after generation ").append(lastDone);
    } else {
      sb.append("before the first generation");
    }
    sb.append(best).append("; ");
    int saved = earlier.size() + fresh.size();
    if (runDir != null) {
      sb.append(saved)
          .append(saved == 1 ? " candidate" : " candidates")
          .append(" saved in ")
          .append(shown(runDir.resolve(RunRecord.HISTORY)))
          .append(": re-running the same search resumes from them");
    } else {
      sb.append(fresh.size())
          .append(" evaluated, kept in memory only (a run directory keeps them for a resume)");
    }
    return sb.toString();
  }

  /** A path relative to the repository when it lies inside it (notebook outputs stay portable). */
  private static String shown(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path home = Workbench.home();
    return abs.startsWith(home) ? home.relativize(abs).toString() : abs.toString();
  }

  /**
   * One row per generation seen in this session: {@code generation} (−1 auto-rescale, 0 initial),
   * {@code candidates} in its batch, {@code evaluated} now, {@code from_history} (cached), {@code
   * best_new} (best fitness evaluated now; missing when none), {@code best_so_far}, {@code seconds}
   * since the monitor was made, {@code state} ({@code done}, {@code running} or {@code stopped});
   * after a stop the table's name is the {@link #summary()}.
   */
  public Table table() {
    List<TableRow> rows = new ArrayList<>();
    for (Map.Entry<Integer, Generation> e : generations.entrySet()) {
      Generation g = e.getValue();
      rows.add(
          new TableRow(
              e.getKey(),
              g.candidates,
              g.evaluated,
              g.done ? Math.max(0, g.candidates - g.evaluated) : 0,
              rounded(g.evaluated > 0 ? g.best : Double.NaN),
              rounded(g.done || last == null ? g.bestSoFar : last.bestFitness()),
              rounded(g.done ? g.seconds : (System.nanoTime() - started) / 1e9),
              g.done ? "done" : stopped ? "stopped" : "running"));
    }
    String name = stopped ? "search " + summary() : "search progress";
    return RecordTables.of(name, TableRow.class, rows);
  }

  /** One row of {@link #table()}; a NaN double is a missing cell. */
  private record TableRow(
      int generation,
      int candidates,
      int evaluated,
      int fromHistory,
      double bestNew,
      double bestSoFar,
      double seconds,
      String state) {}

  /**
   * Fitness by generation (notebook size): candidates from the history (grey), candidates evaluated
   * now (blue), and the best so far after each finished generation (line). An empty chart before
   * the first candidate.
   */
  public XYChart chart() {
    XYChart chart =
        new XYChart(Charts.NOTEBOOK_WIDTH, Charts.NOTEBOOK_HEIGHT, Styler.ChartTheme.XChart);
    chart.setTitle("search: fitness (perplexity) by generation");
    chart.setXAxisTitle("generation");
    chart.setYAxisTitle("fitness");
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setMarkerSize(6);
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setYAxisDecimalPattern("#,##0.##"); // 1,234.5, not 1234.4999999
    List<double[]> before = new ArrayList<>();
    for (HistoryEntry h : earlier) {
      before.add(new double[] {h.generation(), h.fitness()});
    }
    points(chart, "from history", before, new Color(0xa0, 0xa0, 0xa0));
    points(chart, "evaluated now", fresh, new Color(0x1f, 0x77, 0xb4));
    List<double[]> best = new ArrayList<>();
    generations.forEach(
        (gen, g) -> {
          if (g.done && Double.isFinite(g.bestSoFar)) {
            best.add(new double[] {gen, g.bestSoFar});
          }
        });
    if (!best.isEmpty()) {
      XYSeries s = addSeries(chart, "best so far", best);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      s.setLineColor(new Color(0xd6, 0x27, 0x28));
      s.setMarker(SeriesMarkers.NONE);
    }
    if (chart.getSeriesMap().isEmpty()) {
      chart
          .addSeries("no candidate yet", new double[] {0}, new double[] {0})
          .setMarker(SeriesMarkers.NONE);
    }
    return chart;
  }

  private static void points(XYChart chart, String name, List<double[]> xy, Color color) {
    List<double[]> finite = xy.stream().filter(p -> Double.isFinite(p[1])).toList();
    if (finite.isEmpty()) {
      return;
    }
    XYSeries s = addSeries(chart, name, finite);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    s.setMarkerColor(color);
    s.setMarker(SeriesMarkers.CIRCLE);
  }

  private static XYSeries addSeries(XYChart chart, String name, List<double[]> xy) {
    double[] xs = new double[xy.size()];
    double[] ys = new double[xy.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = xy.get(i)[0];
      ys[i] = xy.get(i)[1];
    }
    return chart.addSeries(name, xs, ys);
  }

  /** Two decimals; NaN and infinities are missing. */
  private static double rounded(double v) {
    return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : Double.NaN;
  }
}
