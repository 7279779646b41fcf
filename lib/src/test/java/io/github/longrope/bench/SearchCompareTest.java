package io.github.longrope.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.Json;
import io.github.longrope.search.SearchConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison's configs, budgets and files (the model runs are in results/search-compare). */
class SearchCompareTest {
  @TempDir Path work;

  static SearchCompare.Request request(int p, int t) {
    return new SearchCompare.Request(
        Path.of("m"),
        Path.of("c"),
        2048,
        2,
        p,
        t,
        3,
        SearchCompare.KNOWN,
        0.05,
        8,
        0.2,
        4,
        Path.of("out"));
  }

  @Test
  void theDefaultsAreThePapersBudgetAndEveryStrategyGetsAtMostIt() {
    SearchCompare.Request q = request(64, 40);
    assertEquals(1344, q.budget(), "64 + 40 × 32, as configs/quickstart-full.json");
    SearchConfig evo = SearchCompare.config(q, "evolution", 2);
    assertEquals(64, evo.effectivePopulation());
    assertEquals(16, evo.effectiveMutations());
    assertEquals(16, evo.effectiveCrossovers());
    assertEquals(32, evo.effectiveParents());
    assertEquals(2L, evo.seed());
    assertNull(evo.racing());
    SearchConfig raced = SearchCompare.config(q, "evolution+racing", 2);
    assertEquals(0.05, raced.racing().slack());
    SearchConfig cma = SearchCompare.config(q, "cmaes+racing", 2);
    assertEquals("cmaes", cma.algorithm());
    int cmaEvaluations = 4 + cma.effectiveIterations() * cma.cmaes().population();
    assertTrue(cmaEvaluations <= q.budget() && cmaEvaluations > q.budget() - 8);
    assertTrue(cma.racing().enabled());
    assertNull(cma.criticalDim());
    SearchConfig floor = SearchCompare.config(q, "cmaes-critical+racing", 2);
    assertEquals("cmaes", floor.algorithm());
    assertNotNull(floor.criticalDim(), "λ ≥ s from the critical pair on");
    assertEquals(cma.effectiveIterations(), floor.effectiveIterations());
  }

  @Test
  void strategiesAreKnownAndIncludeTheEvolution() {
    SearchCompare.Request q = request(64, 40);
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> withStrategies(q, List.of("evolution", "random")));
    assertTrue(unknown.getMessage().contains("--strategies: unknown strategy 'random'"));
    IllegalArgumentException noTarget =
        assertThrows(
            IllegalArgumentException.class, () -> withStrategies(q, List.of("cmaes+racing")));
    assertTrue(noTarget.getMessage().contains("include 'evolution'"), noTarget.getMessage());
    assertEquals(
        List.of("evolution", "cmaes+racing"),
        withStrategies(q, List.of("cmaes+racing", "evolution")).strategies(),
        "report order");
  }

  private static SearchCompare.Request withStrategies(SearchCompare.Request q, List<String> s) {
    return new SearchCompare.Request(
        q.model(),
        q.corpus(),
        q.targetLength(),
        q.samples(),
        q.population(),
        q.iterations(),
        q.seeds(),
        s,
        q.racingSlack(),
        q.cmaesPopulation(),
        q.cmaesSigma(),
        q.heldoutPieces(),
        q.output());
  }

  @Test
  void filesHoldTheRowsInTheAskedOrderAndThePlot() throws Exception {
    List<SearchCompare.Row> rows = new ArrayList<>();
    for (String s : SearchCompare.STRATEGIES) {
      for (long seed = 1; seed <= 3; seed++) {
        List<double[]> curve =
            List.of(new double[] {4096, 200}, new double[] {8192 * seed, 150 - seed});
        rows.add(
            new SearchCompare.Row(
                s,
                seed,
                seed == 3 ? null : 8192L * seed,
                seed == 3 ? null : 3.0,
                149,
                120,
                160,
                10,
                1,
                40960,
                20,
                curve));
      }
    }
    SearchCompare.Report r =
        new SearchCompare.Report("m", 2048, 2, "tiny", 3, 3, 148.5, "2 documents", rows);
    CompareFiles.write(work, r);
    List<String> csv = Files.readAllLines(work.resolve("compare.csv"));
    assertTrue(
        csv.get(0)
            .startsWith(
                "strategy,seed,tokens_to_target,seconds,final_fitness,heldout_ppl_2048,"
                    + "heldout_ppl_4096,"));
    assertEquals(10, csv.size());
    assertTrue(csv.get(3).startsWith("evolution,3,,,"), "not reached: empty");
    JsonNode o = Json.readObject(work.resolve("compare.json"));
    Iterator<String> keys = o.get("rows").get(0).fieldNames();
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      first.add(keys.next());
    }
    // the JSON rows begin with the columns, in the CSV's order
    assertEquals(List.of(csv.get(0).split(",")).subList(0, 7), first);
    assertTrue(Files.size(work.resolve("best-vs-tokens.png")) > 1000);
    // what a notebook reads back is the report that was written
    SearchCompare.Report back = SearchCompare.Report.read(work.resolve("compare.json"));
    assertEquals(r.text(), back.text());
    assertEquals(r.table().print(), back.table().print());
    assertTrue(r.text().contains("evolution, 3, not reached"));
    assertFalse(Files.readString(work.resolve("compare.md")).isEmpty());
  }

  @Test
  void theCurveIsTheBestSoFarAtATokenCount() {
    List<double[]> curve = List.of(new double[] {100, 9}, new double[] {300, 7});
    assertEquals(Double.POSITIVE_INFINITY, CompareFiles.at(curve, 50));
    assertEquals(9, CompareFiles.at(curve, 299));
    assertEquals(7, CompareFiles.at(curve, 300));
  }

  static SearchCompare.Row row(String strategy, long seed, Long tokens, double heldout) {
    return new SearchCompare.Row(
        strategy, seed, tokens, null, 300 + seed, heldout, 2 * heldout, 9, 0, 9, 1, List.of());
  }

  /** Per strategy the worse median of each column, and the share of the evolution's tokens. */
  @Test
  void theSummaryIsTheWorseMedianPerStrategy() {
    List<SearchCompare.Row> rows =
        List.of(
            row("evolution", 1, 100L, 400),
            row("evolution", 2, 200L, 390),
            row("evolution", 3, null, 395),
            row("cmaes+racing", 1, 70L, 380),
            row("cmaes+racing", 2, 50L, 410),
            row("cmaes+racing", 3, 60L, 385));
    List<StrategySummary> s = StrategySummary.of(rows);
    assertEquals(
        List.of("evolution", "cmaes+racing"), s.stream().map(StrategySummary::strategy).toList());
    assertEquals(200L, s.get(0).tokensToTarget(), "100, 200, never: the median is 200");
    assertEquals(2, s.get(0).reached());
    assertEquals(1.0, s.get(0).tokenShare());
    assertEquals(60L, s.get(1).tokensToTarget());
    assertEquals(0.3, s.get(1).tokenShare(), 1e-12);
    assertEquals(385, s.get(1).heldoutPpl2048());
    assertEquals(770, s.get(1).heldoutPpl4096());
    assertEquals(302, s.get(1).finalFitness());
    StrategySummary two =
        StrategySummary.of(List.of(row("evolution", 1, 100L, 1), row("evolution", 2, null, 1)))
            .get(0);
    assertNull(two.tokensToTarget(), "of two seeds, one never reached: the worse middle is never");
    assertNull(two.tokenShare());
    assertEquals(2, StrategySummary.table(s).rowCount());
  }

  /** The target is a fitness one of the paper evolution's runs reached, whatever the seed count. */
  @Test
  void theTargetIsTheMedianAndWithTwoMiddleOnesTheWorse() {
    assertEquals(2.0, StrategySummary.worseMedian(List.of(3.0, 1.0, 2.0), Double::doubleValue));
    assertEquals(
        3.0, StrategySummary.worseMedian(List.of(1.0, 4.0, 2.0, 3.0), Double::doubleValue));
    assertEquals(307.07, StrategySummary.worseMedian(List.of(307.07, 303.0), Double::doubleValue));
  }

  /** The committed comparison reads back, as notebook 03 reads it. */
  @Test
  void theCommittedComparisonReads() {
    SearchCompare.Report r =
        SearchCompare.Report.read(Path.of("../results/search-compare/compare.json"));
    assertTrue(
        r.seeds() >= 1 && r.seeds() <= r.seedsPlanned(), r.seeds() + " of " + r.seedsPlanned());
    for (String s : SearchCompare.STRATEGIES) {
      assertTrue(r.rows().stream().filter(x -> x.strategy().equals(s)).count() >= r.seeds(), s);
    }
  }
}
