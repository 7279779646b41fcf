package io.github.longrope.eval;

import io.github.longrope.data.Documents;
import io.github.longrope.model.Decoder;
import io.github.longrope.rope.RopeScaling;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.DoubleFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Perplexity of several RoPE methods at several lengths on one split: the table behind "no scaling
 * explodes past L, scaling recovers most of it". Each method is configured either for one target
 * length ({@code targetLength > 0}: s = target/L for every row, the paper's figure) or for each
 * row's own length (s = length/L).
 *
 * @param protocol stride, samples, min tokens and truncation; its length is replaced per row
 * @param lengths evaluation lengths
 * @param targetLength the common target L', or 0 for per-length scaling
 */
public record MethodComparison(Perplexity protocol, int[] lengths, int targetLength) {
  public MethodComparison {
    if (lengths.length == 0) {
      throw new IllegalArgumentException("give at least one evaluation length");
    }
    if (targetLength < 0) {
      throw new IllegalArgumentException("targetLength must be >= 0, got " + targetLength);
    }
    lengths = lengths.clone();
  }

  /** One cell of the table. */
  public record Row(String method, int length, double scale, Perplexity.Result result) {}

  /** Progress: one cell done. */
  public interface Listener {
    void cellDone(Row row, int done, int total);
  }

  /** The length scale s used at {@code length}. */
  public double scale(int length, int originalLength) {
    return (double) (targetLength > 0 ? targetLength : length) / originalLength;
  }

  /**
   * Evaluates every method at every length, method-major. Stops with a {@link
   * CancellationException} between cells when the thread is interrupted.
   */
  public List<Row> run(
      Decoder model,
      Map<String, DoubleFunction<RopeScaling>> methods,
      Documents docs,
      Listener listener) {
    int original = model.config().originalLength();
    List<Row> rows = new ArrayList<>();
    int total = methods.size() * lengths.length;
    for (Map.Entry<String, DoubleFunction<RopeScaling>> m : methods.entrySet()) {
      for (int length : lengths) {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancellationException("method comparison interrupted");
        }
        double s = scale(length, original);
        Perplexity p =
            new Perplexity(
                length,
                protocol.stride(),
                protocol.samples(),
                protocol.minTokens(),
                protocol.truncate());
        Row row =
            new Row(m.getKey(), length, s, p.evaluate(model, m.getValue().apply(s), docs, null));
        rows.add(row);
        if (listener != null) {
          listener.cellDone(row, rows.size(), total);
        }
      }
    }
    return rows;
  }

  /**
   * The rows as a Tablesaw table (method, length, scale, ppl, tokens, windows, seconds): for {@code
   * report.Charts.perplexityVsLength}, {@code report.Pivot.wide} and CSV files.
   */
  public static Table table(String name, List<Row> rows) {
    Table t =
        Table.create(
            name,
            StringColumn.create("method"),
            IntColumn.create("length"),
            DoubleColumn.create("scale"),
            DoubleColumn.create("ppl"),
            LongColumn.create("tokens"),
            IntColumn.create("windows"),
            DoubleColumn.create("seconds"));
    for (Row r : rows) {
      t.stringColumn("method").append(r.method());
      t.intColumn("length").append(r.length());
      t.doubleColumn("scale").append(r.scale());
      t.doubleColumn("ppl").append(r.result().ppl());
      t.longColumn("tokens").append(r.result().tokens());
      t.intColumn("windows").append(r.result().windows());
      t.doubleColumn("seconds").append(r.result().seconds());
    }
    return t;
  }
}
