package io.github.longrope.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * A run's {@code log.jsonl} as a Tablesaw table, for a notebook cell or a report chart ({@code
 * Charts.lines(TrainLog.read(run), "step", "passkey_accuracy", null, false)}).
 *
 * <p>Columns: {@code step}, {@code loss}, {@code lr}, {@code grad_norm}, {@code tokens_per_second},
 * {@code validation_loss}, {@code passkey_accuracy} and {@code passkey_answer_nll}; the last three
 * are missing on steps without a validation (or without a {@code passkey_probe}), and a chart skips
 * missing points.
 */
public final class TrainLog {
  private TrainLog() {}

  static final List<String> VALUES =
      List.of(
          "loss",
          "lr",
          "grad_norm",
          "tokens_per_second",
          "validation_loss",
          "passkey_accuracy",
          "passkey_answer_nll");

  /** Reads {@code RUN/log.jsonl} (or a log file given directly). */
  public static Table read(Path runOrLog) {
    Path log = Files.isDirectory(runOrLog) ? runOrLog.resolve("log.jsonl") : runOrLog;
    List<String> lines;
    try {
      lines = Files.readAllLines(log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read training log " + log + ": " + e.getMessage(), e);
    }
    IntColumn step = IntColumn.create("step");
    DoubleColumn[] values = VALUES.stream().map(DoubleColumn::create).toArray(DoubleColumn[]::new);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode o = Json.parseObject(lines.get(i), log + " line " + (i + 1));
      if (!o.path("step").canConvertToInt()) {
        throw new FormatException(log.toString(), "line " + (i + 1), "no integer 'step'");
      }
      step.append(o.get("step").asInt());
      for (int c = 0; c < values.length; c++) {
        JsonNode v = o.get(VALUES.get(c));
        if (v != null && v.isNumber()) {
          values[c].append(v.asDouble());
        } else {
          values[c].appendMissing();
        }
      }
    }
    Table t = Table.create("training log", step);
    t.addColumns(values);
    return t;
  }
}
