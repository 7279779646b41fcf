package io.github.longrope.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.github.longrope.report.Charts;
import io.github.longrope.report.Markdown;
import io.github.longrope.report.ReportFiles;
import io.github.longrope.report.TableJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.Table;

/**
 * A {@link PasskeyGrid} on one model ({@code longrope passkey}): the trials, optionally logged one
 * JSON line each ({@link PasskeyTrialLog}), and the cells written as {@code passkey.csv} with, for
 * a depth grid, the heat map {@code passkey.png}.
 */
public final class PasskeyJob {
  private PasskeyJob() {}

  /**
   * @param log trial log file, or null
   * @param out folder for passkey.csv (and passkey.png), or null
   */
  public record Request(ModelUnderTest model, PasskeyGrid grid, Path log, Path out) {}

  /** The cells and their accuracy; JSON as {@code passkey --json} prints it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      @JsonUnwrapped ModelUnderTest model,
      String policy,
      String sizing,
      long seed,
      int maxNewTokens,
      @JsonSerialize(using = TableJson.Serializer.class) Table rows,
      double accuracy,
      List<String> warnings,
      @JsonIgnore PasskeyGrid grid) {
    Report(ModelUnderTest model, PasskeyGrid grid, Table rows, double accuracy) {
      this(
          model,
          grid.policy().name().toLowerCase(Locale.ROOT),
          grid.sizing().name().toLowerCase(Locale.ROOT),
          grid.seed(),
          grid.maxNewTokens(),
          rows,
          accuracy,
          model.warnings(),
          grid);
    }

    /** A line of settings, then the cells as a Markdown table. */
    public String text() {
      return String.format(
          Locale.ROOT,
          "model %s, rope %s, %s%s, %d trials per cell: accuracy %.3f%n%n%s",
          model.dir(),
          model.scaling().typeName(),
          grid.sizing() == PasskeyGrid.Sizing.FIT ? "prompts fitted to each length, " : "",
          grid.randomDepth() ? "random depth" : grid.depths().size() + " depths",
          grid.trials(),
          accuracy,
          Markdown.table(rows));
    }
  }

  public static Report run(Request q, PasskeyGrid.Listener listener) {
    ModelUnderTest m = q.model();
    PasskeyGrid.Result result;
    try (PasskeyTrialLog log = new PasskeyTrialLog(q.log())) {
      result =
          m.run(
              loaded ->
                  q.grid()
                      .run(
                          loaded.decoder(),
                          m.scaling(),
                          loaded.codec(),
                          (done, total, t) -> {
                            log.write(t);
                            listener.trialDone(done, total, t);
                          }));
    }
    Table cells = result.table();
    if (q.out() != null) {
      ReportFiles.writeCsv(cells, q.out().resolve("passkey.csv"));
      if (!q.grid().randomDepth()) {
        String title = "passkey: " + m.dir().getFileName() + ", rope " + m.scaling().typeName();
        ReportFiles.writePng(Charts.passkeyHeatMap(cells, title), q.out().resolve("passkey.png"));
      }
    }
    return new Report(m, q.grid(), cells, result.accuracy());
  }
}
