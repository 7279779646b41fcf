package io.github.longrope.cli;

import io.github.longrope.eval.PerplexityGrid;
import io.github.longrope.pipeline.Pipeline;
import io.github.longrope.pipeline.Stage;
import io.github.longrope.pipeline.StageRecord;
import io.github.longrope.search.SearchListener;
import io.github.longrope.train.Trainer;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * How {@code pipeline} and {@code quickstart} (the pipeline with a preset) show a run on stderr:
 * messages and data-preparation bars, one line as each stage starts, is skipped or ends, and one
 * bar for the stage at work (search, fine-tune, the final table's cells).
 */
final class PipelineBars implements Pipeline.Listener, AutoCloseable {
  private final PrintWriter err;
  private final Bars data;
  private final Progress.Slot bar = new Progress.Slot();

  /** Messages start with {@code prefix} (the command's name). */
  PipelineBars(PrintWriter err, String prefix) {
    this.err = err;
    this.data = new Bars(err, prefix);
  }

  @Override
  public void message(String text) {
    data.message(text);
  }

  @Override
  public void progress(String task, long done, long total) {
    data.progress(task, done, total);
  }

  @Override
  public void stageSkipped(Stage stage, StageRecord record) {
    line("%s: done (%s), skipped%n", stage.dirName(), record.completed());
  }

  @Override
  public void stageDiscarded(Stage stage, String difference) {
    line("%s: discarding partial work made from other inputs (%s)%n", stage.dirName(), difference);
  }

  @Override
  public void stageStarted(Stage stage, boolean resuming) {
    line("%s: %s%n", stage.dirName(), resuming ? "resuming" : "starting");
  }

  @Override
  public void stageFinished(Stage stage, StageRecord record) {
    bar.end();
    line("%n%s: done in %.1f s%n", stage.dirName(), record.seconds());
  }

  @Override
  public SearchListener search(Stage stage) {
    return bar.replace(new Progress(stage.label(), 1)).searchListener();
  }

  @Override
  public Trainer.Listener training() {
    return new Trainer.Listener() {
      @Override
      public void step(long step, long total, double loss, double lr, double tokS) {
        Progress b = bar.get("finetune", total);
        b.stepTo(step);
        b.message(String.format(Locale.ROOT, "loss %.3f %.0f tok/s", loss, tokS));
      }
    };
  }

  @Override
  public void cellDone(PerplexityGrid.Cell cell, int done, int total) {
    Progress b = bar.get("evaluate", total);
    b.stepTo(done);
    b.message(
        String.format(Locale.ROOT, "%s @ %d: ppl %.3f", cell.method(), cell.length(), cell.ppl()));
  }

  private void line(String format, Object... args) {
    err.printf(Locale.ROOT, format, args);
    err.flush();
  }

  @Override
  public void close() {
    bar.close();
    data.close();
  }
}
