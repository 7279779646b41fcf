package io.github.longrope.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.Json;
import io.github.longrope.report.Charts;
import io.github.longrope.report.ReportFiles;
import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.search.Candidate;
import io.github.longrope.search.Evaluator;
import io.github.longrope.search.EvolutionSearch;
import io.github.longrope.search.Fitness;
import io.github.longrope.search.InitialFactors;
import io.github.longrope.search.RopeTarget;
import io.github.longrope.search.RunRecord;
import io.github.longrope.search.SearchConfig;
import io.github.longrope.search.SearchProblem;
import io.github.longrope.search.SearchResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

/**
 * The notebook's search flow on a synthetic fitness: a live monitor, a stop after generation 1 (as
 * the stop button), and a second call that resumes from the run directory's history.
 */
class SearchMonitorTest {
  @TempDir Path dir;

  static final SearchConfig CONFIG =
      SearchConfig.parse(
          "{\"version\": 1, \"population\": 6, \"iterations\": 3, \"mutations\": 3,"
              + " \"crossovers\": 3, \"parents\": 3, \"init\": [\"pi\", \"ntk\", \"yarn\"]}",
          "test");

  static SearchProblem problem() {
    InitialFactors.Seeds seeds =
        InitialFactors.resolve(CONFIG, new RopeGeometry(16, 10000), 4, 64, 32, 1, null);
    return new SearchProblem(
        RopeTarget.longFactors(64, 4, new MagnitudeScaling.Su()), 4, seeds.seeds(), 0);
  }

  /** Distance to a ramp, so that the search has something to find. */
  static double fitness(Candidate c) {
    double d = 1;
    for (int i = 0; i < c.pairs(); i++) {
      double e = c.factor(i) - (1 + 3.0 * i / (c.pairs() - 1));
      d += e * e;
    }
    return d;
  }

  SearchResult run(SearchMonitor monitor, boolean resume, AtomicInteger calls) {
    ObjectNode config = Json.MAPPER.createObjectNode();
    config.set("search", CONFIG.toJson());
    Fitness f =
        c -> {
          calls.incrementAndGet();
          return fitness(c);
        };
    try (Evaluator ev = Evaluator.sequential(f);
        RunRecord record = RunRecord.open(dir, config, resume)) {
      return new EvolutionSearch(CONFIG, problem()).run(ev, record, monitor);
    }
  }

  @Test
  void stopsAfterAGenerationAndResumesFromTheHistory() throws Exception {
    AtomicInteger updates = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    SearchMonitor first =
        SearchMonitor.of(dir).stopAfter(1).onUpdate(m -> updates.incrementAndGet());
    assertEquals(0, first.earlierCandidates());
    assertThrows(CancellationException.class, () -> run(first, false, calls));
    assertFalse(Thread.currentThread().isInterrupted(), "the search consumed the interrupt");
    Table t1 = first.table();
    assertEquals(2, t1.rowCount(), "generations 0 and 1\n" + t1);
    assertEquals(0, t1.intColumn("generation").get(0));
    assertEquals("done", t1.stringColumn("state").get(1));
    assertEquals(0, t1.intColumn("from_history").get(0));
    assertEquals(calls.get(), (int) t1.intColumn("evaluated").sum());
    assertTrue(updates.get() >= calls.get() + 5, "an update per candidate and generation + stop");
    int before = calls.get();
    assertTrue(first.stopped());
    int saved = RunRecord.readHistory(dir.resolve(RunRecord.HISTORY)).size();
    assertEquals(before, saved);
    String summary = first.summary();
    assertTrue(summary.startsWith("stopped after generation 1; best "), summary);
    assertTrue(
        summary.endsWith(
            saved
                + " candidates saved in "
                + dir.resolve("history.jsonl")
                + ": re-running the same search resumes from them"),
        summary);
    assertEquals("search " + summary, t1.name());

    SearchMonitor second = SearchMonitor.of(dir);
    assertEquals(before, second.earlierCandidates());
    AtomicInteger more = new AtomicInteger();
    SearchResult r = run(second, true, more);
    Table t2 = second.table();
    assertEquals(4, t2.rowCount(), "generations 0..3\n" + t2);
    assertEquals(0, t2.intColumn("evaluated").get(0), "generation 0 comes from the history");
    assertEquals(t2.intColumn("candidates").get(0), t2.intColumn("from_history").get(0));
    assertEquals(more.get(), (int) t2.intColumn("evaluated").sum());
    assertEquals(r.fitness(), t2.doubleColumn("best_so_far").get(3), 0.01);
    assertEquals(3, second.progress().generation());

    // the uninterrupted run evaluates exactly the union of both sessions
    Path other = Files.createTempDirectory(dir.getParent(), "full");
    AtomicInteger all = new AtomicInteger();
    SearchResult full;
    ObjectNode config = Json.MAPPER.createObjectNode();
    config.set("search", CONFIG.toJson());
    try (Evaluator ev =
            Evaluator.sequential(
                c -> {
                  all.incrementAndGet();
                  return fitness(c);
                });
        RunRecord record = RunRecord.open(other, config, false)) {
      full = new EvolutionSearch(CONFIG, problem()).run(ev, record, SearchMonitor.create());
    }
    assertEquals(all.get(), before + more.get());
    assertEquals(full.fitness(), r.fitness());

    XYChart chart = second.chart();
    assertEquals(Charts.NOTEBOOK_WIDTH, chart.getWidth());
    assertEquals("#,##0.##", chart.getStyler().getYAxisDecimalPattern());
    assertTrue(chart.getSeriesMap().containsKey("from history"));
    assertTrue(chart.getSeriesMap().containsKey("evaluated now"));
    assertTrue(chart.getSeriesMap().containsKey("best so far"));
    ReportFiles.writePng(chart, dir.resolve("chart.png"));
    assertTrue(Files.size(dir.resolve("chart.png")) > 1000);
  }

  @Test
  void theStopButtonInsideAGenerationRedrawsItAsStoppedWithWhatWasSaved() {
    AtomicInteger calls = new AtomicInteger();
    java.util.List<Table> redraws = new java.util.ArrayList<>();
    SearchMonitor m = SearchMonitor.of(dir).onUpdate(x -> redraws.add(x.table()));
    ObjectNode config = Json.MAPPER.createObjectNode();
    config.set("search", CONFIG.toJson());
    Fitness f =
        c -> {
          if (calls.incrementAndGet() == 3) {
            Thread.currentThread().interrupt(); // what the kernel's stop button does
          }
          return fitness(c);
        };
    try (Evaluator ev = Evaluator.sequential(f);
        RunRecord record = RunRecord.open(dir, config, false)) {
      assertThrows(
          CancellationException.class,
          () -> new EvolutionSearch(CONFIG, problem()).run(ev, record, m));
    }
    Table last = redraws.get(redraws.size() - 1);
    assertEquals(1, last.rowCount(), last.toString());
    assertEquals("stopped", last.stringColumn("state").get(0));
    assertFalse(last.doubleColumn("best_so_far").isMissing(0), "best so far is shown");
    for (Table t : redraws) {
      if (t.rowCount() > 0 && t.intColumn("evaluated").get(0) > 0) {
        assertFalse(
            t.doubleColumn("best_so_far").isMissing(0), "a running row shows the best\n" + t);
      }
    }
    int saved = RunRecord.readHistory(dir.resolve(RunRecord.HISTORY)).size();
    String summary = m.summary();
    assertTrue(
        summary.startsWith("stopped in generation 0 (" + saved + " of 6 candidates evaluated now)"),
        summary);
    assertTrue(summary.contains(saved + " candidates saved in "), summary);
    assertTrue(last.name().startsWith("search stopped in generation 0"), last.name());
  }

  @Test
  void stoppingAfterTheLastGenerationLeavesNoInterruptBehind() {
    AtomicInteger calls = new AtomicInteger();
    SearchMonitor m = SearchMonitor.create().stopAfter(3);
    run(m, false, calls);
    assertFalse(Thread.interrupted(), "no interrupt left on the caller's thread");
    assertEquals(4, m.table().rowCount());
  }

  @Test
  void anEmptyMonitorStillDraws() {
    SearchMonitor m = SearchMonitor.create();
    assertEquals(0, m.table().rowCount());
    ReportFiles.writePng(m.chart(), dir.resolve("empty.png"));
  }
}
