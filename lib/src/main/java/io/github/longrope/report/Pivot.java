package io.github.longrope.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Long → wide: one row per distinct combination of the row-key columns (in order of first
 * appearance), one numeric column per distinct value of {@code column} (in order of first
 * appearance), cells the mean of {@code value} over the matching rows (missing when none).
 *
 * <pre>{@code
 * Table wide = Pivot.wide(ppl, List.of("method"), "length", "ppl");
 * // method | 256 | 512 | 1024
 * }</pre>
 */
public final class Pivot {
  private Pivot() {}

  public static Table wide(Table t, List<String> rowKeys, String column, String value) {
    List<List<String>> keys = new ArrayList<>();
    for (String k : rowKeys) {
      keys.add(Columns.strings(t, k));
    }
    List<String> cols = Columns.strings(t, column);
    double[] vs = Columns.numbers(t, value);
    LinkedHashSet<String> colNames = new LinkedHashSet<>(cols);
    Map<List<String>, Map<String, double[]>> cells = new LinkedHashMap<>();
    for (int r = 0; r < vs.length; r++) {
      List<String> key = new ArrayList<>();
      for (List<String> k : keys) {
        key.add(k.get(r));
      }
      double[] sumCount =
          cells
              .computeIfAbsent(key, x -> new LinkedHashMap<>())
              .computeIfAbsent(cols.get(r), x -> new double[2]);
      if (!Double.isNaN(vs[r])) {
        sumCount[0] += vs[r];
        sumCount[1]++;
      }
    }
    Table out = Table.create(t.name());
    for (int i = 0; i < rowKeys.size(); i++) {
      StringColumn c = StringColumn.create(rowKeys.get(i));
      for (List<String> key : cells.keySet()) {
        c.append(key.get(i));
      }
      out.addColumns(c);
    }
    for (String name : colNames) {
      DoubleColumn c = DoubleColumn.create(name);
      for (Map<String, double[]> row : cells.values()) {
        double[] sc = row.get(name);
        if (sc == null || sc[1] == 0) {
          c.appendMissing();
        } else {
          c.append(sc[0] / sc[1]);
        }
      }
      out.addColumns(c);
    }
    return out;
  }
}
