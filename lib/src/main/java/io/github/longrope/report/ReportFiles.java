package io.github.longrope.report;

import io.github.longrope.io.AtomicFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * Report outputs, each written atomically (a crash leaves the old file or the new one): CSV tables,
 * PNG charts, Markdown text.
 */
public final class ReportFiles {
  private ReportFiles() {}

  /** The table as CSV text: a header row, then one line per row (RFC 4180 quoting). */
  public static String csv(Table t) {
    StringWriter w = new StringWriter();
    t.write().usingOptions(CsvWriteOptions.builder(w).header(true).build());
    return w.toString();
  }

  public static void writeCsv(Table t, Path file) {
    AtomicFiles.writeString(file, csv(t));
  }

  /** Reads a CSV written by {@link #writeCsv} back into a table (column types inferred). */
  public static Table readCsv(Path file) {
    return Table.read().csv(file.toFile());
  }

  /** The chart rendered at its own width × height as PNG bytes (headless). */
  public static byte[] png(Chart<?, ?> chart) {
    Headless.ensure();
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render chart '" + chart.getTitle() + "'", e);
    }
  }

  public static void writePng(Chart<?, ?> chart, Path file) {
    AtomicFiles.write(file, png(chart));
  }

  public static void writeMarkdown(String markdown, Path file) {
    AtomicFiles.writeString(file, markdown);
  }
}
