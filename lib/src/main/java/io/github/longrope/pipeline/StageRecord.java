package io.github.longrope.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The completion marker of a stage, {@code stageN-name/done.json}: written atomically as the
 * stage's last act, so it exists exactly when every output it names is complete. It names the
 * outputs (paths relative to the run folder, so a run folder can be moved) and the values later
 * stages need (factors, rope_scaling), and records the stage's wall time. Deleting it makes the
 * next {@code --resume} redo the stage (and, to stay consistent, every later one).
 *
 * @param stage which stage
 * @param completed ISO-8601 instant of completion
 * @param seconds wall time of the session that completed it
 * @param outputs stage-specific: paths and values
 */
public record StageRecord(Stage stage, String completed, double seconds, ObjectNode outputs) {

  /** The marker's file name inside the stage folder. */
  public static final String FILE = "done.json";

  /** Writes the marker atomically. */
  void write(Path stageDir) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("stage", stage.number());
    o.put("name", stage.label());
    o.put("completed", completed);
    o.put("seconds", seconds);
    o.set("outputs", outputs);
    AtomicFiles.writeString(stageDir.resolve(FILE), Json.write(o));
  }

  /** The marker of a stage folder, if the stage completed. */
  static Optional<StageRecord> read(Stage stage, Path stageDir) {
    Path f = stageDir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    ObjectNode o = Json.readObject(f);
    if (o.path("stage").asInt() != stage.number()
        || !(o.get("outputs") instanceof ObjectNode out)) {
      throw new FormatException(
          f.toString(), "", "not the completion marker of " + stage.dirName());
    }
    return Optional.of(
        new StageRecord(stage, o.path("completed").asText(), o.path("seconds").asDouble(), out));
  }

  /** An output path, resolved against the run folder. */
  public Path path(Path run, String key) {
    return run.resolve(text(key));
  }

  /** An output value. */
  public JsonNode value(String key) {
    JsonNode v = outputs.get(key);
    if (v == null) {
      throw new IllegalStateException(
          stage.dirName() + "/" + FILE + " has no output '" + key + "'");
    }
    return v;
  }

  String text(String key) {
    return value(key).asText();
  }
}
