package io.github.longrope.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.Corpus;
import io.github.longrope.data.DatasetBuilder;
import io.github.longrope.eval.PerplexityGrid;
import io.github.longrope.io.Json;
import io.github.longrope.io.RecordedPath;
import io.github.longrope.io.RunLock;
import io.github.longrope.search.SearchListener;
import io.github.longrope.search.run.SearchEngine;
import io.github.longrope.train.Trainer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tech.tablesaw.api.Table;

/**
 * LongRoPE's progressive extension as one call (docs/method.md, "Progressive extension"): search λ1
 * at about 8× on the base model, fine-tune there, search λ2 relative to λ1 on the fine-tuned model
 * to the final length, search short factors for inputs up to L, export an HF directory with the
 * short/long pair, and measure every stage against base-model baselines.
 *
 * <pre>{@code
 * PipelineConfig c = PipelineConfig.read(Path.of("configs/pipeline/bundled-16k.json"));
 * Pipeline.Result r = Pipeline.run(c, true, Pipeline.Listener.NONE);   // start or resume
 * r.exported();   // results/<run>/stage5-export/model, an HF directory
 * r.table();      // perplexity: method × length
 * }</pre>
 *
 * <p>Why one call instead of five commands: each stage's inputs are the previous stage's outputs
 * (the fine-tune's factors, the relative search's fine-tuned model and its λ1, the short search's
 * long set), and wiring them by hand is where runs go wrong — a fine-tune under other factors than
 * the ones searched, a relative search saved without the product, an export whose s does not match
 * its long set. Here each stage reads its inputs from the completion markers ({@link StageRecord})
 * of the stages before it, and nothing else.
 *
 * <p>Resume: {@code results/<run>/pipeline.json} holds the resolved config; a resume must match it
 * (the first difference is named). Finished stages are skipped; the first unfinished one resumes
 * from its own state (search history, trainer checkpoint, table cells), and every later stage is
 * redone, since its inputs may have changed. A caller that owns its run folder ({@link
 * Start#OWNED}, the quickstart) gets a changed config redone instead of refused.
 *
 * <p>Presets: stages 2–4 may be left out, folders renamed and a run-level report asked for ({@link
 * PipelineConfig}); the quickstart is such a preset ({@code quickstart.Quickstart}), so there is
 * one engine behind both commands.
 */
public final class Pipeline {
  private Pipeline() {}

  /** The resolved config in the run folder. */
  public static final String CONFIG = "pipeline.json";

  /** A stage folder's record of the outputs it was started from. */
  public static final String INPUTS = "inputs.json";

  /** Output values that differ between equivalent runs (speed, where a trainer resumed). */
  static final List<String> VOLATILE = List.of("tokens_per_second", "resumed_from");

  /** Query rows per attention chunk of every decoder (shrunk automatically at long lengths). */
  static final int ATTENTION_CHUNK = 512;

  /** Progress of a run (CLI progress bars, notebook displays). */
  public interface Listener extends DatasetBuilder.Listener {
    Listener NONE = new Listener() {};

    /** A note for the user (a stale lock taken over, for example). */
    @Override
    default void message(String text) {}

    /** Progress of building missing corpus splits ({@code data.corpus}). */
    @Override
    default void progress(String task, long done, long total) {}

    /** A stage was already complete. */
    default void stageSkipped(Stage stage, StageRecord record) {}

    /** A stage folder's partial work came from other inputs and was deleted. */
    default void stageDiscarded(Stage stage, String difference) {}

    /** A stage starts; {@code resuming} when its folder holds earlier work. */
    default void stageStarted(Stage stage, boolean resuming) {}

    /** A stage completed (its marker is written). */
    default void stageFinished(Stage stage, StageRecord record) {}

    /** Progress of a search stage. */
    default SearchListener search(Stage stage) {
      return SearchListener.NONE;
    }

    /** Progress of the fine-tune. */
    default Trainer.Listener training() {
      return new Trainer.Listener() {};
    }

    /** One cell of the final table. */
    default void cellDone(PerplexityGrid.Cell cell, int done, int total) {}
  }

  /** One stage of this session: skipped (done before) or run now. */
  public record StageRun(Stage stage, boolean skipped, double seconds, StageRecord record) {}

  /**
   * What a run produced.
   *
   * @param run the run folder
   * @param stages every stage, in order
   * @param exported the exported HF directory
   * @param table perplexity: method, model, length, scale, ppl, tokens, documents, seconds
   * @param seconds wall time of this session
   * @param dataSeconds of which building missing corpus splits ({@code data.corpus})
   * @param report the run-level files, when the config asks for them (else null)
   */
  public record Result(
      Path run,
      List<StageRun> stages,
      Path exported,
      Table table,
      double seconds,
      double dataSeconds,
      RunReport report) {
    public Result {
      stages = List.copyOf(stages);
    }

    Result withReport(RunReport r) {
      return new Result(run, stages, exported, table, seconds, dataSeconds, r);
    }

    /** The marker of a stage. */
    public StageRecord record(Stage stage) {
      return stages.get(stage.ordinal()).record();
    }
  }

  /**
   * Checks a config against its model and files without running anything (lengths against the
   * model's L, every split present); errors name the key.
   */
  public static void check(PipelineConfig config) {
    PipelineChecks.check(config);
  }

  /** How a run treats a run folder that already holds one. */
  public enum Start {
    /** A new run: a folder that already holds one is refused. */
    NEW,
    /** Continue the run in the folder; its {@code pipeline.json} must match the config. */
    RESUME,
    /**
     * The folder belongs to the caller (the quickstart's output): start or continue, and where the
     * config changed since, redo the stages instead of refusing (a search stage whose own settings
     * changed starts over; one whose settings are the same resumes).
     */
    OWNED
  }

  /** Starts a new run (a folder that already holds one is refused). */
  public static Result run(PipelineConfig config, Listener listener) {
    return run(config, false, listener);
  }

  /**
   * Starts or, with {@code resume}, continues a run.
   *
   * @param resume continue the run in {@code config.run()}; without it, a folder that already holds
   *     a pipeline run is refused
   */
  public static Result run(PipelineConfig config, boolean resume, Listener listener) {
    return run(config, resume, SearchEngine.LOCAL, listener);
  }

  /**
   * Starts or continues a run whose search stages evaluate on {@code engine} (a runtime choice,
   * like the number of threads: not part of {@code pipeline.json}, so a resume may change it).
   */
  public static Result run(
      PipelineConfig config, boolean resume, SearchEngine engine, Listener listener) {
    return run(config, resume ? Start.RESUME : Start.NEW, engine, listener);
  }

  /**
   * Runs the stages: the corpus splits first when {@code data.corpus} asks for them, then every
   * stage the config has (finished ones skipped), then the run-level {@code report} if asked for.
   */
  @SuppressWarnings("try") // the run lock is held for the block, not used in it
  public static Result run(
      PipelineConfig config, Start start, SearchEngine engine, Listener listener) {
    long t0 = System.nanoTime();
    Path run = Path.of(config.run());
    if (config.data().corpus() != null) {
      List<String> more = new ArrayList<>();
      for (SearchStageSpec s :
          new SearchStageSpec[] {
            config.searchLong(), config.searchRelative(), config.searchShort()
          }) {
        if (s != null && s.data() != null) {
          more.add(s.data());
        }
      }
      if (config.evaluate().data() != null) {
        more.add(config.evaluate().data());
      }
      Corpus.ensure(Path.of(config.data().corpus()), config.data().corpusSplits(more), listener);
    }
    double dataSeconds = (System.nanoTime() - t0) / 1e9;
    PipelineChecks.check(config);
    try (RunLock lock = RunLock.acquire(run, listener::message)) {
      RunFolder.storeConfig(run, config, start, listener);
      Result r = runStages(config, run, start, engine, listener, t0, dataSeconds);
      if (config.report() == null) {
        return r;
      }
      return r.withReport(RunReport.write(config, r));
    }
  }

  private static Result runStages(
      PipelineConfig config,
      Path run,
      Start start,
      SearchEngine engine,
      Listener listener,
      long t0,
      double dataSeconds) {
    Map<Stage, StageRecord> done = new EnumMap<>(Stage.class);
    List<StageRun> runs = new ArrayList<>();
    boolean redo = false;
    for (Stage stage : Stage.values()) {
      Path dir = config.stageDir(run, stage);
      if (!config.runs(stage)) {
        // left out by the config: no folder, the record is a function of the config
        listener.stageStarted(stage, false);
        StageRecord r =
            new StageRecord(stage, Instant.now().toString(), 0, leftOut(stage, config, run));
        done.put(stage, r);
        runs.add(new StageRun(stage, false, 0, r));
        listener.stageFinished(stage, r);
        continue;
      }
      Optional<StageRecord> marker = StageRecord.read(stage, dir);
      if (marker.isPresent() && !redo) {
        done.put(stage, marker.get());
        runs.add(new StageRun(stage, true, 0, marker.get()));
        listener.stageSkipped(stage, marker.get());
        continue;
      }
      if (!redo) {
        // from here on every stage runs: drop later markers first, so that a kill leaves no
        // marker claiming outputs made from inputs that are about to change
        for (Stage later : Stage.values()) {
          if (later.ordinal() >= stage.ordinal()) {
            RunFolder.deleteMarker(config.stageDir(run, later));
          }
        }
        redo = true;
      }
      boolean resuming = RunFolder.keepOnlyIfSameInputs(stage, dir, done, listener);
      listener.stageStarted(stage, resuming);
      long ts = System.nanoTime();
      ObjectNode outputs = runStage(stage, config, done, run, dir, start, engine, listener);
      StageRecord r =
          new StageRecord(stage, Instant.now().toString(), (System.nanoTime() - ts) / 1e9, outputs);
      r.write(dir);
      done.put(stage, r);
      runs.add(new StageRun(stage, false, r.seconds(), r));
      listener.stageFinished(stage, r);
    }
    return new Result(
        run,
        runs,
        done.get(Stage.EXPORT).path(run, "model"),
        EvaluateStage.table(EvaluateStage.cells(done.get(Stage.EVALUATE))),
        (System.nanoTime() - t0) / 1e9,
        dataSeconds,
        null);
  }

  private static ObjectNode runStage(
      Stage stage,
      PipelineConfig c,
      Map<Stage, StageRecord> done,
      Path run,
      Path dir,
      Start start,
      SearchEngine engine,
      Listener listener) {
    boolean restart = start == Start.OWNED;
    switch (stage) {
      case SEARCH_LONG:
        return SearchStages.run(
            stage, c.searchLong(), c, Path.of(c.model()), run, dir, engine, restart, listener);
      case FINETUNE:
        return FinetuneStage.run(c, done.get(Stage.SEARCH_LONG), run, dir, listener);
      case SEARCH_RELATIVE:
        return SearchStages.run(
            stage,
            c.searchRelative(),
            c,
            done.get(Stage.FINETUNE).path(run, "model"),
            run,
            dir,
            engine,
            restart,
            listener);
      case SEARCH_SHORT:
        return SearchStages.run(
            stage,
            c.searchShort(),
            c,
            done.get(Stage.SEARCH_RELATIVE).path(run, SearchStages.MODEL),
            run,
            dir,
            engine,
            restart,
            listener);
      case EXPORT:
        return ExportStage.run(
            c,
            done.get(Stage.SEARCH_LONG),
            done.get(Stage.FINETUNE),
            done.get(Stage.SEARCH_SHORT),
            run,
            dir);
      case EVALUATE:
        return EvaluateStage.run(
            c,
            done.get(Stage.SEARCH_LONG),
            done.get(Stage.FINETUNE),
            done.get(Stage.EXPORT),
            run,
            dir,
            listener);
      default:
        throw new IllegalStateException(stage.toString());
    }
  }

  /** The record of a stage the config leaves out. */
  private static ObjectNode leftOut(Stage stage, PipelineConfig c, Path run) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("skipped", true);
    switch (stage) {
      case FINETUNE -> {
        o.put("reason", "finetune is false: the searched factors run on the base model");
        o.put("model", relative(run, Path.of(c.model())));
      }
      case SEARCH_RELATIVE ->
          o.put("reason", "no search_relative: the fine-tuned model keeps stage 1's factors");
      case SEARCH_SHORT ->
          o.put("reason", "no search_short: the short factors are the original RoPE (all 1)");
      default -> throw new IllegalStateException(stage + " cannot be left out");
    }
    return o;
  }

  /** {@code p} relative to the run folder (markers stay valid when the folder moves). */
  static String relative(Path run, Path p) {
    return RecordedPath.relative(run, p);
  }
}
