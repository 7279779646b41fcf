package io.github.longrope.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.eval.PerplexityGrid;
import io.github.longrope.io.Json;
import io.github.longrope.pipeline.Stage;
import io.github.longrope.pipeline.StageRecord;
import io.github.longrope.search.SearchProgress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** Stage events become one row per stage; every event calls back. */
class PipelineMonitorTest {
  @Test
  void stagesMoveFromWaitingToDoneWithTheirLatestProgress() {
    AtomicInteger updates = new AtomicInteger();
    PipelineMonitor m = new PipelineMonitor().onUpdate(x -> updates.incrementAndGet());
    Table t0 = m.table();
    assertEquals(Stage.values().length, t0.rowCount());
    assertEquals("waiting", t0.stringColumn("state").get(0));

    m.stageSkipped(
        Stage.SEARCH_LONG,
        new StageRecord(
            Stage.SEARCH_LONG, "2026-01-01T00:00:00Z", 12, Json.MAPPER.createObjectNode()));
    m.stageStarted(Stage.FINETUNE, true);
    m.training().step(2, 4, 4.5, 3e-4, 300);
    m.stageFinished(
        Stage.FINETUNE,
        new StageRecord(
            Stage.FINETUNE, "2026-01-01T00:01:00Z", 30, Json.MAPPER.createObjectNode()));
    m.stageStarted(Stage.SEARCH_RELATIVE, false);
    m.search(Stage.SEARCH_RELATIVE)
        .generationFinished(1, new SearchProgress(1, 2, 5, 3, 12, 123.456, 0.5, 10));
    m.stageStarted(Stage.EVALUATE, false);
    m.cellDone(
        new PerplexityGrid.Cell("yarn", "base", "eval", 1024, 4, 98.765, 1023, 1, 1, 2.0), 3, 18);

    Table t = m.table();
    assertEquals("skipped", t.stringColumn("state").get(0));
    assertEquals(0.0, t.doubleColumn("seconds").get(0));
    assertEquals("done", t.stringColumn("state").get(1));
    assertTrue(t.stringColumn("progress").get(1).contains("step 2 of 4: loss 4.500"), t.print());
    assertEquals("running", t.stringColumn("state").get(2));
    assertEquals(
        "generation 1 of 2: 5 evaluated, 3 from history; best 123.46",
        t.stringColumn("progress").get(2));
    assertEquals("waiting", t.stringColumn("state").get(3));
    assertTrue(t.doubleColumn("seconds").isMissing(3));
    assertEquals("cell 3 of 18: yarn at 1024 = 98.77", t.stringColumn("progress").get(5));
    assertEquals(8, updates.get());
  }
}
