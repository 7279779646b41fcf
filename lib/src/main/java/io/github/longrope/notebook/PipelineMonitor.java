package io.github.longrope.notebook;

import io.github.longrope.eval.PerplexityGrid;
import io.github.longrope.pipeline.Pipeline;
import io.github.longrope.pipeline.Stage;
import io.github.longrope.pipeline.StageRecord;
import io.github.longrope.report.RecordTables;
import io.github.longrope.search.Candidate;
import io.github.longrope.search.SearchListener;
import io.github.longrope.search.SearchProgress;
import io.github.longrope.train.Trainer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import tech.tablesaw.api.Table;

/**
 * A {@link Pipeline.Listener} that keeps the progressive extension as a table, one row per stage
 * (state, what it is doing now, seconds), and calls back after every event — in a notebook, to
 * redraw a live display:
 *
 * <pre>{@code
 * PipelineMonitor monitor = new PipelineMonitor();
 * String id = display(monitor.table());
 * monitor.onUpdate(m -> updateDisplay(id, m.table()));
 * Pipeline.Result r = Pipeline.run(config, resume, monitor);
 * }</pre>
 *
 * <p>States: {@code waiting}, {@code running}, {@code resuming} (its folder held earlier work),
 * {@code done}, {@code skipped} (done in an earlier session). All calls come from the thread that
 * runs the pipeline.
 */
public final class PipelineMonitor implements Pipeline.Listener {
  private final Map<Stage, String> state = new EnumMap<>(Stage.class);
  private final Map<Stage, String> detail = new EnumMap<>(Stage.class);
  private final Map<Stage, Long> started = new EnumMap<>(Stage.class);
  private final Map<Stage, Double> seconds = new EnumMap<>(Stage.class);
  private Consumer<PipelineMonitor> onUpdate = m -> {};

  public PipelineMonitor() {
    for (Stage s : Stage.values()) {
      state.put(s, "waiting");
      detail.put(s, "");
    }
  }

  /** Called after every stage event, candidate, training step and table cell. */
  public PipelineMonitor onUpdate(Consumer<PipelineMonitor> callback) {
    this.onUpdate = callback == null ? m -> {} : callback;
    return this;
  }

  /** The state of a stage: waiting, running, resuming, done or skipped. */
  public String state(Stage stage) {
    return state.get(stage);
  }

  /**
   * One row per stage: {@code stage}, {@code name}, {@code state}, {@code progress}, {@code
   * seconds}.
   */
  public Table table() {
    List<TableRow> rows = new ArrayList<>();
    for (Stage s : Stage.values()) {
      Double done = seconds.get(s);
      Long t0 = started.get(s);
      double v = done != null ? done : t0 != null ? (System.nanoTime() - t0) / 1e9 : Double.NaN;
      double rounded = Double.isNaN(v) ? v : Math.round(v * 10) / 10.0;
      rows.add(new TableRow(s.number(), s.label(), state.get(s), detail.get(s), rounded));
    }
    return RecordTables.of("pipeline", TableRow.class, rows);
  }

  /** One row of {@link #table()}; {@code seconds} NaN (missing) before the stage starts. */
  private record TableRow(int stage, String name, String state, String progress, double seconds) {}

  private void set(Stage stage, String text) {
    detail.put(stage, text);
    onUpdate.accept(this);
  }

  @Override
  public void stageSkipped(Stage stage, StageRecord record) {
    state.put(stage, "skipped");
    seconds.put(stage, 0.0);
    set(stage, "done in an earlier session (" + record.completed() + ")");
  }

  @Override
  public void stageDiscarded(Stage stage, String difference) {
    set(stage, "earlier partial work discarded: " + difference);
  }

  @Override
  public void stageStarted(Stage stage, boolean resuming) {
    state.put(stage, resuming ? "resuming" : "running");
    started.put(stage, System.nanoTime());
    set(stage, "");
  }

  @Override
  public void stageFinished(Stage stage, StageRecord record) {
    state.put(stage, "done");
    Long t0 = started.get(stage);
    seconds.put(stage, t0 == null ? record.seconds() : (System.nanoTime() - t0) / 1e9);
    onUpdate.accept(this);
  }

  @Override
  public SearchListener search(Stage stage) {
    return new SearchListener() {
      @Override
      public void candidateEvaluated(Candidate c, double fitness, SearchProgress p) {
        set(stage, progress(p));
      }

      @Override
      public void generationFinished(int generation, SearchProgress p) {
        set(stage, progress(p));
      }
    };
  }

  static String progress(SearchProgress p) {
    return String.format(
        Locale.ROOT,
        "generation %d of %d: %d evaluated, %d from history; best %.2f",
        p.generation(),
        p.generations(),
        p.evaluated(),
        p.cached(),
        p.bestFitness());
  }

  @Override
  public Trainer.Listener training() {
    return new Trainer.Listener() {
      @Override
      public void step(long step, long total, double loss, double lr, double tokensPerSecond) {
        set(
            Stage.FINETUNE,
            String.format(
                Locale.ROOT,
                "step %d of %d: loss %.3f, lr %.2g, %.0f tokens/s",
                step,
                total,
                loss,
                lr,
                tokensPerSecond));
      }

      @Override
      public void validation(long step, double loss) {
        set(
            Stage.FINETUNE,
            String.format(Locale.ROOT, "step %d: validation loss %.3f", step, loss));
      }
    };
  }

  @Override
  public void cellDone(PerplexityGrid.Cell cell, int done, int total) {
    set(
        Stage.EVALUATE,
        String.format(
            Locale.ROOT,
            "cell %d of %d: %s at %d = %.2f",
            done,
            total,
            cell.method(),
            cell.length(),
            cell.ppl()));
  }
}
