package io.github.longrope.eval.mc;

import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
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
    IntColumn index = IntColumn.create("item");
    StringColumn id = StringColumn.create("id");
    IntColumn gold = IntColumn.create("gold");
    IntColumn pred = IntColumn.create("predicted");
    IntColumn predNorm = IntColumn.create("predicted_norm");
    DoubleColumn p = DoubleColumn.create("p_true");
    StringColumn ll = StringColumn.create("log_likelihoods");
    for (int i = 0; i < items.size(); i++) {
      McEval.ItemScore s = items.get(i);
      index.append(i);
      id.append(s.item().id());
      gold.append(s.item().gold());
      pred.append(s.predicted());
      predNorm.append(s.predictedNorm());
      p.append(s.pTrue());
      StringBuilder sb = new StringBuilder();
      for (double v : s.logLikelihoods()) {
        sb.append(sb.length() == 0 ? "" : " ")
            .append(String.format(java.util.Locale.ROOT, "%.6g", v));
      }
      ll.append(sb.toString());
    }
    return Table.create("items", index, id, gold, pred, predNorm, p, ll);
  }
}
