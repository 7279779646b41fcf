package io.github.longrope.report;

import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Typed access to a table's columns with errors that name the column and the table. */
final class Columns {
  private Columns() {}

  static Column<?> column(Table t, String name) {
    if (!t.containsColumn(name)) {
      throw new IllegalArgumentException(
          "table '" + t.name() + "' has no column '" + name + "' (has " + t.columnNames() + ")");
    }
    return t.column(name);
  }

  /** A numeric column's values as doubles (missing values are NaN). */
  static double[] numbers(Table t, String name) {
    Column<?> c = column(t, name);
    if (!(c instanceof NumericColumn<?> n)) {
      throw new IllegalArgumentException(
          "table '" + t.name() + "': column '" + name + "' must be numeric, is " + c.type());
    }
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.isMissing(i) ? Double.NaN : n.getDouble(i);
    }
    return out;
  }

  /** Any column's values as display strings. */
  static List<String> strings(Table t, String name) {
    Column<?> c = column(t, name);
    List<String> out = new ArrayList<>(c.size());
    for (int i = 0; i < c.size(); i++) {
      out.add(c.getString(i));
    }
    return out;
  }
}
