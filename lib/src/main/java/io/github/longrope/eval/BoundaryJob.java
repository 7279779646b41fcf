package io.github.longrope.eval;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.github.longrope.report.Markdown;
import io.github.longrope.report.ReportFiles;
import io.github.longrope.report.TableJson;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.Table;

/**
 * The {@link BoundaryTest} on one model ({@code longrope boundary}), with the rows written as
 * {@code boundary.csv} when asked.
 */
public final class BoundaryJob {
  private BoundaryJob() {}

  /**
   * @param out folder for boundary.csv, or null
   */
  public record Request(ModelUnderTest model, BoundaryTest test, Path out) {}

  /** The rows and their summary; JSON as {@code boundary --json} prints it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      @JsonUnwrapped ModelUnderTest model,
      int originalLength,
      boolean allExact,
      long crossed,
      @JsonSerialize(using = TableJson.Serializer.class) Table summary,
      @JsonSerialize(using = TableJson.Serializer.class) Table rows,
      List<String> warnings) {

    /** The summary, then one row per generation. */
    public String text() {
      return String.format(
          Locale.ROOT,
          "model %s, L = %d: %d of %d generations crossed L; cached = full forward: %s%n%n%s%n%s",
          model.dir(),
          originalLength,
          crossed,
          rows.rowCount(),
          allExact ? "yes" : "NO",
          Markdown.table(summary),
          Markdown.table(
              rows.selectColumns(
                  "trial",
                  "policy",
                  "prompt_tokens",
                  "last_length",
                  "prompt_regime",
                  "final_regime",
                  "recomputes",
                  "answer",
                  "exact",
                  "retrieved")));
    }
  }

  /**
   * The model ready for the test: a longrope scaling without short factors (and not dynamic) gets
   * short factors of 1, the original RoPE up to L, so that it has a switch to test; then the
   * scaling must switch from short to long after L.
   */
  public static ModelUnderTest withPair(ModelUnderTest m) {
    if (m.scaling() instanceof LongRopeScaling l && l.shortFactors() == null && !l.dynamic()) {
      m =
          m.withScaling(
              l.withShortFactors(FactorTable.ones(l.factors().width())),
              "no short factors given: the short set is all 1 (the original RoPE up to L)");
    }
    BoundaryTest.requirePair(m.scaling(), m.originalLength());
    return m;
  }

  /** Runs the test on {@code q.model()}, which {@link #withPair} has prepared. */
  public static Report run(Request q, BoundaryTest.Listener listener) {
    ModelUnderTest m = q.model();
    BoundaryTest.Result result =
        m.run(
            loaded ->
                q.test()
                    .run(
                        loaded.decoder(),
                        m.scaling(),
                        m.originalLength(),
                        loaded.codec(),
                        listener));
    if (q.out() != null) {
      ReportFiles.writeCsv(result.table(), q.out().resolve("boundary.csv"));
    }
    Table rows = result.table();
    return new Report(
        m,
        result.originalLength(),
        result.allExact(),
        result.crossed(),
        EvalReport.boundarySummary(rows),
        rows,
        m.warnings());
  }
}
