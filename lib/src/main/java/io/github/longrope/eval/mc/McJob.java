package io.github.longrope.eval.mc;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.longrope.eval.ModelUnderTest;
import io.github.longrope.report.ReportFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One multiple-choice task on one model ({@code longrope mc}), with the per-item scores written as
 * CSV when asked.
 */
public final class McJob {
  private McJob() {}

  /**
   * @param data the file {@code items} were read from (named in the report)
   * @param pool few-shot pool, or null for the other items
   * @param itemsFile per-item CSV, or null
   */
  public record Request(
      ModelUnderTest model,
      McTask task,
      Path data,
      List<McItem> items,
      List<McItem> pool,
      McEval eval,
      Path itemsFile) {}

  /** Accuracies with standard errors; JSON as {@code mc --json} prints it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      @JsonUnwrapped ModelUnderTest model,
      String task,
      Path data,
      int n,
      int shots,
      double accuracy,
      double stderr,
      double accuracyNorm,
      double stderrNorm,
      double pTrue,
      double pTrueStderr,
      double seconds,
      List<String> warnings) {
    Report(Request q, McResult r) {
      this(
          q.model(),
          q.task().id(),
          q.data(),
          r.n(),
          r.shots(),
          r.accuracy(),
          r.accuracyStderr(),
          r.accuracyNorm(),
          r.accuracyNormStderr(),
          r.pTrue(),
          r.pTrueStderr(),
          r.seconds(),
          q.model().warnings());
    }

    public String text() {
      return String.format(
          Locale.ROOT,
          "%s, %d items, %d-shot, rope %s%naccuracy       %.4f ± %.4f%n"
              + "accuracy_norm  %.4f ± %.4f%np_true         %.4f ± %.4f%n",
          task,
          n,
          shots,
          model.scaling().typeName(),
          accuracy,
          stderr,
          accuracyNorm,
          stderrNorm,
          pTrue,
          pTrueStderr);
    }
  }

  public static Report run(Request q, McEval.Listener listener) {
    ModelUnderTest m = q.model();
    McResult r =
        m.run(
            loaded ->
                q.eval()
                    .run(
                        loaded.decoder(),
                        m.scaling(),
                        loaded.codec(),
                        q.items(),
                        q.pool(),
                        listener));
    if (q.itemsFile() != null) {
      ReportFiles.writeCsv(r.itemTable(), q.itemsFile());
    }
    return new Report(q, r);
  }
}
