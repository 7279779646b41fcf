package io.github.longrope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.search.RunRecord;
import io.github.longrope.search.run.SearchEngine;
import io.github.longrope.search.run.SearchJob;
import io.github.longrope.search.run.SearchSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark {@code local[2]} against the local evaluator on the same tiny search of the bundled model:
 * the same candidates with bit-identical fitness values, the same result and final files; each
 * candidate recorded once; the executor's decoders loaded once and reused by a second search.
 */
class SparkEvaluatorTest {
  @TempDir Path work;

  @Test
  void localTwoGivesTheLocalEvaluatorsHistoryAndResult() throws Exception {
    SearchSpec spec = TinySearch.spec(work);
    TinySearch.Reference ref = TinySearch.reference();
    Path local = ref.run();
    SearchJob.Outcome a = ref.outcome();

    Path spark = work.resolve("spark");
    int loadsBefore = ExecutorDecoders.loads();
    SearchEngine engine = SearchEngine.of("spark", "local[2]", List.of());
    SearchJob.Outcome b = TinySearch.run(spec, spark, false, engine);
    TinySearch.assertSameResult(local, a.result(), spark, b.result());
    int loaded = ExecutorDecoders.loads() - loadsBefore;
    assertTrue(loaded >= 1 && loaded <= 2, "one decoder per task slot, got " + loaded);
    List<String> h = TinySearch.history(spark);
    assertEquals(h.size(), new java.util.HashSet<>(h).size(), "a candidate recorded twice");
    assertEquals(
        a.result().evaluations(), RunRecord.readHistory(spark.resolve(RunRecord.HISTORY)).size());

    // another search on the same model (a new Spark context, the same executor JVM in local mode)
    // reuses the decoders
    SearchSpec small = TinySearch.spec(work.resolve("small"), 3, 1);
    SearchJob.Outcome c = TinySearch.run(small, work.resolve("again"), false, engine);
    assertTrue(c.result().evaluatedNow() > 0);
    assertEquals(loaded, ExecutorDecoders.loads() - loadsBefore, "decoders loaded again");
  }
}
