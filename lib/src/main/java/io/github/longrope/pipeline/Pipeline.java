package io.github.longrope.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.eval.PerplexityGrid;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.Json;
import io.github.longrope.io.RecordedPath;
import io.github.longrope.io.RunLock;
import io.github.longrope.io.RunStamp;
import io.github.longrope.search.RunRecord;
import io.github.longrope.search.SearchListener;
import io.github.longrope.search.run.SearchEngine;
import io.github.longrope.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * redone, since its inputs may have changed.
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
  public interface Listener {
    Listener NONE = new Listener() {};

    /** A note for the user (a stale lock taken over, for example). */
    default void message(String text) {}

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
   */
  public record Result(
      Path run, List<StageRun> stages, Path exported, Table table, double seconds) {
    public Result {
      stages = List.copyOf(stages);
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
  @SuppressWarnings("try") // the run lock is held for the block, not used in it
  public static Result run(
      PipelineConfig config, boolean resume, SearchEngine engine, Listener listener) {
    long t0 = System.nanoTime();
    Path run = Path.of(config.run());
    PipelineChecks.check(config);
    try (RunLock lock = RunLock.acquire(run, listener::message)) {
      storeConfig(run, config, resume);
      return runStages(config, run, engine, listener, t0);
    }
  }

  private static Result runStages(
      PipelineConfig config, Path run, SearchEngine engine, Listener listener, long t0) {
    Map<Stage, StageRecord> done = new EnumMap<>(Stage.class);
    List<StageRun> runs = new ArrayList<>();
    boolean redo = false;
    for (Stage stage : Stage.values()) {
      Path dir = run.resolve(stage.dirName());
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
            deleteMarker(run.resolve(later.dirName()));
          }
        }
        redo = true;
      }
      boolean resuming = keepOnlyIfSameInputs(stage, dir, done, listener);
      listener.stageStarted(stage, resuming);
      long ts = System.nanoTime();
      ObjectNode outputs = runStage(stage, config, done, run, dir, engine, listener);
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
        (System.nanoTime() - t0) / 1e9);
  }

  private static ObjectNode runStage(
      Stage stage,
      PipelineConfig c,
      Map<Stage, StageRecord> done,
      Path run,
      Path dir,
      SearchEngine engine,
      Listener listener) {
    switch (stage) {
      case SEARCH_LONG:
        return SearchStages.run(
            stage, c.searchLong(), c, Path.of(c.model()), run, dir, engine, listener);
      case FINETUNE:
        return FinetuneStage.run(c, done.get(Stage.SEARCH_LONG), run, dir, listener);
      case SEARCH_RELATIVE:
        if (c.searchRelative() == null) {
          return skipped("no search_relative: the fine-tuned model keeps stage 1's factors");
        }
        return SearchStages.run(
            stage,
            c.searchRelative(),
            c,
            done.get(Stage.FINETUNE).path(run, "model"),
            run,
            dir,
            engine,
            listener);
      case SEARCH_SHORT:
        if (c.searchShort() == null) {
          return skipped("no search_short: the short factors are the original RoPE (all 1)");
        }
        return SearchStages.run(
            stage,
            c.searchShort(),
            c,
            done.get(Stage.SEARCH_RELATIVE).path(run, SearchStages.MODEL),
            run,
            dir,
            engine,
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

  /** The marker outputs of a stage the config leaves out. */
  private static ObjectNode skipped(String why) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("skipped", true);
    o.put("reason", why);
    return o;
  }

  /**
   * A stage folder holding partial work (search history, trainer checkpoints, table cells) is
   * resumed only if that work was made from the same inputs: the earlier stages' outputs, recorded
   * in {@code inputs.json} when the stage starts. Otherwise — an earlier stage was redone and came
   * out differently — the folder is cleared, since a history of perplexities measured on another
   * model would silently steer the search.
   *
   * @return whether earlier work is kept (the stage resumes)
   */
  private static boolean keepOnlyIfSameInputs(
      Stage stage, Path dir, Map<Stage, StageRecord> done, Listener listener) {
    ObjectNode inputs = Json.MAPPER.createObjectNode();
    for (Stage s : Stage.values()) {
      if (s.ordinal() < stage.ordinal()) {
        ObjectNode o = done.get(s).outputs().deepCopy();
        o.remove(VOLATILE);
        inputs.set(s.dirName(), o);
      }
    }
    String text = Json.write(inputs);
    Path file = dir.resolve(INPUTS);
    boolean kept = false;
    if (Files.isDirectory(dir)) {
      String difference =
          Files.isRegularFile(file)
              ? RunRecord.firstDifference(Json.readObject(file), Json.parseObject(text, INPUTS), "")
              : "no " + INPUTS;
      if (difference != null) {
        listener.stageDiscarded(stage, difference);
        AtomicFiles.deleteTree(dir);
      } else {
        kept = true;
      }
    }
    AtomicFiles.writeString(file, text);
    return kept;
  }

  /** Writes {@code pipeline.json} on a new run; on resume, requires it to match. */
  private static void storeConfig(Path run, PipelineConfig config, boolean resume) {
    Path file = run.resolve(CONFIG);
    ObjectNode resolved = config.toJson();
    if (Files.isRegularFile(file)) {
      if (!resume) {
        throw new IllegalArgumentException(
            "run folder "
                + run
                + " already holds a pipeline run ("
                + CONFIG
                + "); pass --resume to continue it, or choose another 'run'");
      }
      String difference =
          RunRecord.firstDifference(Json.readObject(file), resolved, "", Set.of(RunStamp.KEY));
      if (difference != null) {
        throw new IllegalArgumentException(
            "cannot resume "
                + run
                + ": it was started with other settings ("
                + difference
                + "); resume with the same config or choose another 'run'");
      }
      return;
    }
    if (resume) {
      throw new IllegalArgumentException(
          "nothing to resume in " + run + ": it has no " + CONFIG + " (run without --resume)");
    }
    RunStamp.addTo(resolved, Path.of(config.model()), stampedData(config.data()), Map.of());
    AtomicFiles.writeString(file, Json.write(resolved));
  }

  /** The data files a stamp fingerprints: the search split and the training files. */
  private static List<Path> stampedData(PipelineData data) {
    List<Path> files = new ArrayList<>();
    files.add(Path.of(data.search()));
    data.train().forEach(t -> files.add(Path.of(t)));
    return files;
  }

  private static void deleteMarker(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(StageRecord.FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code p} relative to the run folder (markers stay valid when the folder moves). */
  static String relative(Path run, Path p) {
    return RecordedPath.relative(run, p);
  }
}
