package io.github.longrope.report;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw table from records: one column per record component, in declaration order, named in
 * snake_case ({@code bestSoFar} → {@code best_so_far}) and typed by the component ({@code int} →
 * int, {@code long} → long, {@code double}/{@code Double} → double with NaN and null missing,
 * {@code boolean} → boolean, {@code String} → string, an enum → its lower-case name). A table is
 * then declared once, as its row record, instead of as a column per field plus an append per field.
 *
 * <pre>{@code
 * record Row(int generation, double bestSoFar, String state) {}
 * Table t = RecordTables.of("search", Row.class, rows); // generation | best_so_far | state
 * }</pre>
 */
public final class RecordTables {
  private RecordTables() {}

  /** The table {@code name} of {@code rows} (the columns exist even with no rows). */
  public static <R extends Record> Table of(String name, Class<R> type, List<R> rows) {
    RecordComponent[] components = type.getRecordComponents();
    List<Column<?>> columns = new ArrayList<>();
    for (RecordComponent c : components) {
      columns.add(column(type, c));
    }
    for (R row : rows) {
      for (int i = 0; i < components.length; i++) {
        append(columns.get(i), value(components[i].getAccessor(), row));
      }
    }
    return Table.create(name, columns);
  }

  /** {@code bestSoFar} → {@code best_so_far}, {@code pTrue} → {@code p_true}. */
  static String snakeCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static Column<?> column(Class<?> record, RecordComponent c) {
    String name = snakeCase(c.getName());
    Class<?> t = c.getType();
    if (t == int.class || t == Integer.class) {
      return IntColumn.create(name);
    } else if (t == long.class || t == Long.class) {
      return LongColumn.create(name);
    } else if (t == double.class || t == Double.class) {
      return DoubleColumn.create(name);
    } else if (t == boolean.class || t == Boolean.class) {
      return BooleanColumn.create(name);
    } else if (t == String.class || t.isEnum()) {
      return StringColumn.create(name);
    }
    throw new IllegalArgumentException(
        record.getSimpleName() + "." + c.getName() + ": no column type for " + t.getSimpleName());
  }

  private static Object value(Method accessor, Object row) {
    try {
      accessor.setAccessible(true); // row records are often private to their table's class
      return accessor.invoke(row);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + accessor.getName() + " of " + row, e);
    }
  }

  private static void append(Column<?> column, Object v) {
    if (v == null) {
      column.appendMissing();
    } else if (column instanceof IntColumn c) {
      c.append((Integer) v);
    } else if (column instanceof LongColumn c) {
      c.append((Long) v);
    } else if (column instanceof DoubleColumn c) {
      c.append((Double) v); // NaN is Tablesaw's missing double
    } else if (column instanceof BooleanColumn c) {
      c.append((Boolean) v);
    } else if (column instanceof StringColumn c) {
      c.append(v instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : (String) v);
    }
  }
}
