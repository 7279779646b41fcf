package io.github.longrope.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.report.Markdown;
import io.github.longrope.report.Pivot;
import io.github.longrope.report.TableJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.Table;

/**
 * A {@link Pipeline.Result} as {@code longrope pipeline} reports it: per stage whether this session
 * ran or skipped it and what its marker recorded, then the perplexity table. The JSON form carries
 * each stage's recorded outputs, so a script finds the exported model or a factor file without
 * knowing the folder layout.
 */
public record PipelineReport(
    Path run,
    Path exported,
    double seconds,
    List<StageReport> stages,
    @JsonSerialize(using = TableJson.Serializer.class) Table table) {

  /** A stage: its number and label, whether this session skipped it, its marker's contents. */
  public record StageReport(
      int stage,
      String name,
      boolean skipped,
      double seconds,
      ObjectNode outputs,
      @JsonIgnore String dirName) {}

  public static PipelineReport of(Pipeline.Result r) {
    return new PipelineReport(
        r.run(),
        r.exported(),
        r.seconds(),
        r.stages().stream()
            .map(
                s ->
                    new StageReport(
                        s.stage().number(),
                        s.stage().label(),
                        s.skipped(),
                        s.record().seconds(),
                        s.record().outputs(),
                        s.stage().dirName()))
            .toList(),
        r.table());
  }

  /** One line per stage, then the table with methods down and lengths across. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (StageReport s : stages) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-20s %s %8.1f s%n",
              s.dirName(),
              s.skipped() ? "skipped" : "ran    ",
              s.seconds()));
    }
    sb.append('\n')
        .append(Markdown.table(Pivot.wide(table, List.of("method", "model"), "length", "ppl")));
    sb.append(String.format(Locale.ROOT, "%nexported: %s%n", exported));
    sb.append(String.format(Locale.ROOT, "this session: %.1f s%n", seconds));
    return sb.toString();
  }
}
