package io.github.longrope.eval.mc;

import io.github.longrope.report.RecordTables;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * Accuracy of one task with standard errors, and every item's scores.
 *
 * @param n items evaluated
 * @param accuracy {@code acc}: the highest sum log-likelihood is correct
 * @param accuracyNorm {@code acc_norm}: the same per character of the choice
 * @param pTrue mean softmax mass on the correct choices (TruthfulQA MC2 score)
 * @param shots few-shot examples per item
 */
public record McResult(
    int n,
    double accuracy,
    double accuracyStderr,
    double accuracyNorm,
    double accuracyNormStderr,
    double pTrue,
    double pTrueStderr,
    int shots,
    double seconds,
    List<McEval.ItemScore> items) {

  public McResult {
    items = List.copyOf(items);
  }

  static McResult of(List<McEval.ItemScore> scores, int shots, double seconds) {
    double[] acc = new double[scores.size()];
    double[] norm = new double[scores.size()];
    double[] p = new double[scores.size()];
    for (int i = 0; i < acc.length; i++) {
      acc[i] = scores.get(i).correct() ? 1 : 0;
      norm[i] = scores.get(i).correctNorm() ? 1 : 0;
      p[i] = scores.get(i).pTrue();
    }
    return new McResult(
        acc.length,
        mean(acc),
        stderr(acc),
        mean(norm),
        stderr(norm),
        mean(p),
        stderr(p),
        shots,
        seconds,
        scores);
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** Standard error of the mean: sample standard deviation (n − 1) / √n; NaN for n < 2. */
  public static double stderr(double[] v) {
    if (v.length < 2) {
      return Double.NaN;
    }
    double m = mean(v);
    double ss = 0;
    for (double x : v) {
      ss += (x - m) * (x - m);
    }
    return Math.sqrt(ss / (v.length - 1) / v.length);
  }

  /** One row per item: index, gold, predicted, predicted_norm, correct, p_true, ll per choice. */
  public Table itemTable() {
    List<ItemRow> rows = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      McEval.ItemScore s = items.get(i);
      StringBuilder ll = new StringBuilder();
      for (double v : s.logLikelihoods()) {
        ll.append(ll.length() == 0 ? "" : " ")
            .append(String.format(java.util.Locale.ROOT, "%.6g", v));
      }
      rows.add(
          new ItemRow(
              i,
              s.item().id(),
              s.item().gold(),
              s.predicted(),
              s.predictedNorm(),
              s.pTrue(),
              ll.toString()));
    }
    return RecordTables.of("items", ItemRow.class, rows);
  }

  /** One row of {@link #itemTable()}. */
  private record ItemRow(
      int item,
      String id,
      int gold,
      int predicted,
      int predictedNorm,
      double pTrue,
      String logLikelihoods) {}
}
