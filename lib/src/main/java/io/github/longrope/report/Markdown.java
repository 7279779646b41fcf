package io.github.longrope.report;

import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * GitHub-flavoured Markdown tables from Tablesaw tables.
 *
 * <pre>{@code
 * String md = Markdown.table(results);   // | length | ppl |  …  numbers right-aligned
 * }</pre>
 *
 * <p>Numbers are shown with {@link #SIGNIFICANT} significant digits (never in exponent form, never
 * fewer than the integer digits) and trailing zeros trimmed; integer columns print exactly; missing
 * values print empty. {@code |} in text is escaped.
 */
public final class Markdown {
  /** Significant digits of non-integer numbers. */
  public static final int SIGNIFICANT = 4;

  private Markdown() {}

  public static String table(Table t) {
    List<Column<?>> cols = t.columns();
    if (cols.isEmpty()) {
      throw new IllegalArgumentException("table '" + t.name() + "' has no columns");
    }
    StringBuilder sb = new StringBuilder("|");
    StringBuilder rule = new StringBuilder("|");
    for (Column<?> c : cols) {
      sb.append(' ').append(escape(c.name())).append(" |");
      rule.append(c instanceof NumericColumn<?> ? "---:|" : "---|");
    }
    sb.append('\n').append(rule).append('\n');
    for (int r = 0; r < t.rowCount(); r++) {
      sb.append('|');
      for (Column<?> c : cols) {
        sb.append(' ').append(cell(c, r)).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  static String cell(Column<?> c, int row) {
    if (c.isMissing(row)) {
      return "";
    }
    if (c instanceof NumericColumn<?> n) {
      return number(n.getDouble(row), isIntegral(n));
    }
    return escape(c.getString(row));
  }

  private static boolean isIntegral(NumericColumn<?> n) {
    String type = n.type().name();
    return type.equals("INTEGER") || type.equals("LONG") || type.equals("SHORT");
  }

  /** A number for display: exact for integers, else {@link #SIGNIFICANT} significant digits. */
  public static String number(double v, boolean integral) {
    if (Double.isNaN(v)) {
      return "";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "−∞";
    }
    if (integral) {
      return Long.toString((long) v);
    }
    if (v == 0) {
      return "0";
    }
    int magnitude = (int) Math.floor(Math.log10(Math.abs(v)));
    int decimals = Math.max(0, SIGNIFICANT - magnitude - 1);
    String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
    if (s.indexOf('.') >= 0) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s.equals("-0") ? "0" : s;
  }

  static String escape(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
