package io.github.longrope.kernel.display;

import tech.tablesaw.api.ColumnType;
import tech.tablesaw.table.Relation;

/**
 * Tablesaw tables (and views) as an HTML table and as aligned plain text, each showing at most
 * {@code maxRows} rows followed by a "… N more rows" note. Tablesaw itself has no HTML writer.
 *
 * <pre>{@code
 * String html = TableRenderer.html(table, 20);
 * }</pre>
 *
 * Cells use each column's own print formatter ({@code column.getString(row)}), so a formatter set
 * by the library carries over; numbers are right-aligned.
 */
public final class TableRenderer {
  private TableRenderer() {}

  /** An escaped {@code <table>} with a caption (name, shape) and the row-limit note. */
  public static String html(Relation table, int maxRows) {
    int shown = Math.min(table.rowCount(), Math.max(0, maxRows));
    StringBuilder sb = new StringBuilder(256 + shown * table.columnCount() * 16);
    sb.append("<table class=\"longrope-table\">\n<caption style=\"text-align:left\">");
    if (table.name() != null && !table.name().isBlank()) {
      sb.append("<b>").append(escape(table.name())).append("</b> &mdash; ");
    }
    sb.append(shape(table)).append("</caption>\n<thead><tr>");
    for (int c = 0; c < table.columnCount(); c++) {
      sb.append("<th>").append(escape(table.column(c).name())).append("</th>");
    }
    sb.append("</tr></thead>\n<tbody>\n");
    for (int r = 0; r < shown; r++) {
      sb.append("<tr>");
      for (int c = 0; c < table.columnCount(); c++) {
        boolean numeric = isNumeric(table.column(c).type());
        sb.append(numeric ? "<td style=\"text-align:right\">" : "<td>")
            .append(escape(table.getString(r, c)))
            .append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</tbody>\n</table>\n");
    int hidden = table.rowCount() - shown;
    if (hidden > 0) {
      sb.append("<p><i>&hellip; ")
          .append(hidden)
          .append(hidden == 1 ? " more row" : " more rows")
          .append("</i></p>\n");
    }
    return sb.toString();
  }

  /** Plain text: a title line, a header, aligned rows and the row-limit note. */
  public static String text(Relation table, int maxRows) {
    int shown = Math.min(table.rowCount(), Math.max(0, maxRows));
    int columns = table.columnCount();
    String[][] cells = new String[shown + 1][columns];
    int[] width = new int[columns];
    for (int c = 0; c < columns; c++) {
      cells[0][c] = table.column(c).name();
      width[c] = cells[0][c].length();
      for (int r = 0; r < shown; r++) {
        cells[r + 1][c] = oneLine(table.getString(r, c));
        width[c] = Math.max(width[c], cells[r + 1][c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    String name = table.name() == null || table.name().isBlank() ? "" : table.name() + ": ";
    sb.append(name).append(shapeText(table)).append('\n');
    for (int r = 0; r <= shown; r++) {
      for (int c = 0; c < columns; c++) {
        if (c > 0) {
          sb.append(" | ");
        }
        boolean right = isNumeric(table.column(c).type());
        pad(sb, cells[r][c], width[c], right);
      }
      trimTrailing(sb);
      sb.append('\n');
      if (r == 0) {
        for (int c = 0; c < columns; c++) {
          if (c > 0) {
            sb.append("-+-");
          }
          sb.append("-".repeat(width[c]));
        }
        sb.append('\n');
      }
    }
    int hidden = table.rowCount() - shown;
    if (hidden > 0) {
      sb.append("… ").append(hidden).append(hidden == 1 ? " more row" : " more rows").append('\n');
    }
    return sb.toString();
  }

  /** Escapes the five HTML special characters. */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(ch);
      }
    }
    return sb.toString();
  }

  private static boolean isNumeric(ColumnType type) {
    String name = type.name();
    return switch (name) {
      case "DOUBLE", "FLOAT", "INTEGER", "LONG", "SHORT" -> true;
      default -> false;
    };
  }

  private static String shape(Relation t) {
    return shapeText(t).replace("×", "&times;");
  }

  private static String shapeText(Relation t) {
    return t.rowCount()
        + (t.rowCount() == 1 ? " row" : " rows")
        + " × "
        + t.columnCount()
        + (t.columnCount() == 1 ? " column" : " columns");
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
  }

  private static void pad(StringBuilder sb, String s, int width, boolean right) {
    int fill = width - s.length();
    if (right) {
      sb.append(" ".repeat(fill)).append(s);
    } else {
      sb.append(s).append(" ".repeat(fill));
    }
  }

  private static void trimTrailing(StringBuilder sb) {
    int end = sb.length();
    while (end > 0 && sb.charAt(end - 1) == ' ') {
      end--;
    }
    sb.setLength(end);
  }
}
