package io.github.longrope.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.Json;
import io.github.longrope.io.JsonDiff;
import io.github.longrope.io.RunStamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The run folder's bookkeeping: {@code pipeline.json} (the resolved config a resume must match) and
 * each stage folder's {@code inputs.json} (the earlier stages' outputs its partial work was made
 * from). Kept apart from {@link Pipeline}, which only orders the stages.
 */
final class RunFolder {
  private RunFolder() {}

  /**
   * Writes {@code pipeline.json} on a new run; on resume, requires it to match. Under {@link
   * Pipeline.Start#OWNED} a changed config is not an error: every marker is dropped and the folders
   * of the stages that keep no own record of their settings are deleted, so each stage is redone (a
   * search stage resumes its record if its own settings are unchanged, and starts over if not).
   */
  static void storeConfig(
      Path run, PipelineConfig config, Pipeline.Start start, Pipeline.Listener listener) {
    Path file = run.resolve(Pipeline.CONFIG);
    ObjectNode resolved = config.toJson();
    if (Files.isRegularFile(file)) {
      if (start == Pipeline.Start.NEW) {
        throw new IllegalArgumentException(
            "run folder "
                + run
                + " already holds a pipeline run ("
                + Pipeline.CONFIG
                + "); pass --resume to continue it, or choose another 'run'");
      }
      String difference = JsonDiff.first(Json.readObject(file), resolved, "", Set.of(RunStamp.KEY));
      if (difference == null) {
        return;
      }
      if (start == Pipeline.Start.RESUME) {
        throw new IllegalArgumentException(
            "cannot resume "
                + run
                + ": it was started with other settings ("
                + difference
                + "); resume with the same config or choose another 'run'");
      }
      listener.message(
          run + " was made with other settings (" + difference + "); redoing its stages");
      for (Stage s : Stage.values()) {
        Path dir = config.stageDir(run, s);
        deleteMarker(dir);
        if (!isSearch(s)) {
          AtomicFiles.deleteTree(dir);
        }
      }
    } else if (start == Pipeline.Start.RESUME) {
      throw new IllegalArgumentException(
          "nothing to resume in "
              + run
              + ": it has no "
              + Pipeline.CONFIG
              + " (run without --resume)");
    }
    RunStamp.addTo(resolved, Path.of(config.model()), stampedData(config.data()), Map.of());
    AtomicFiles.writeString(file, Json.write(resolved));
  }

  /** The data files a stamp fingerprints: the search split and the training files. */
  private static List<Path> stampedData(PipelineData data) {
    List<Path> files = new ArrayList<>();
    files.add(Path.of(data.search()));
    data.trainFiles().forEach(t -> files.add(Path.of(t)));
    return files;
  }

  static boolean isSearch(Stage s) {
    return s == Stage.SEARCH_LONG || s == Stage.SEARCH_RELATIVE || s == Stage.SEARCH_SHORT;
  }

  /**
   * A stage folder holding partial work (search history, trainer checkpoints, table cells) is
   * resumed only if that work was made from the same inputs: the earlier stages' outputs, recorded
   * in {@code inputs.json} when the stage starts. Otherwise — an earlier stage was redone and came
   * out differently — the folder is cleared, since a history of perplexities measured on another
   * model would silently steer the search. The first stage has no inputs, so its folder is always
   * kept (a search record checks its own settings): a committed search record without an {@code
   * inputs.json} resumes.
   *
   * @return whether earlier work is kept (the stage resumes)
   */
  static boolean keepOnlyIfSameInputs(
      Stage stage, Path dir, Map<Stage, StageRecord> done, Pipeline.Listener listener) {
    ObjectNode inputs = Json.MAPPER.createObjectNode();
    for (Stage s : Stage.values()) {
      if (s.ordinal() < stage.ordinal()) {
        ObjectNode o = done.get(s).outputs().deepCopy();
        o.remove(Pipeline.VOLATILE);
        inputs.set(s.dirName(), o);
      }
    }
    String text = Json.write(inputs);
    Path file = dir.resolve(Pipeline.INPUTS);
    boolean kept = false;
    if (Files.isDirectory(dir)) {
      String difference =
          Files.isRegularFile(file)
              ? JsonDiff.first(Json.readObject(file), Json.parseObject(text, Pipeline.INPUTS), "")
              : inputs.isEmpty() ? null : "no " + Pipeline.INPUTS;
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

  static void deleteMarker(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(StageRecord.FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
