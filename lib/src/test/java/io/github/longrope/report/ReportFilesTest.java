package io.github.longrope.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** CSV round trip, Markdown rendering, number display. */
class ReportFilesTest {
  @TempDir Path dir;

  static Table table() {
    return Table.create(
        "t",
        StringColumn.create("method", "none", "a|b"),
        IntColumn.create("length", 256, 4096),
        DoubleColumn.create("ppl", 12.345678, Double.NaN),
        DoubleColumn.create("accuracy", 0.8, 1.0 / 3));
  }

  @Test
  void csvRoundTripsAndLeavesNoTemporaryFile() throws Exception {
    Path f = dir.resolve("sub/t.csv");
    ReportFiles.writeCsv(table(), f);
    String text = Files.readString(f);
    assertEquals("method,length,ppl,accuracy", text.lines().findFirst().orElseThrow());
    Table back = ReportFiles.readCsv(f);
    assertEquals(2, back.rowCount());
    assertEquals(4096, back.intColumn("length").get(1));
    assertEquals(12.345678, back.doubleColumn("ppl").get(0), 1e-12);
    assertEquals("a|b", back.stringColumn("method").get(1));
    try (var files = Files.list(f.getParent())) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void markdownTable() {
    assertEquals(
        "| method | length | ppl | accuracy |\n"
            + "|---|---:|---:|---:|\n"
            + "| none | 256 | 12.35 | 0.8 |\n"
            + "| a\\|b | 4096 |  | 0.3333 |\n",
        Markdown.table(table()));
  }

  @Test
  void numbersKeepFourSignificantDigitsWithoutExponents() {
    assertEquals("12346", Markdown.number(12345.6, false));
    assertEquals("0.000123", Markdown.number(0.000123, false));
    assertEquals("1", Markdown.number(1.0, false));
    assertEquals("-2.5", Markdown.number(-2.5, false));
    assertEquals("7", Markdown.number(7, true));
    assertEquals("", Markdown.number(Double.NaN, false));
  }

  @Test
  void pivotToWideMeansDuplicatesAndLeavesGapsMissing() {
    Table t =
        Table.create(
            "ppl",
            StringColumn.create("method", "none", "none", "pi", "none"),
            IntColumn.create("length", 256, 512, 256, 256),
            DoubleColumn.create("ppl", 10, 20, 30, 12));
    Table wide = Pivot.wide(t, java.util.List.of("method"), "length", "ppl");
    assertEquals(java.util.List.of("method", "256", "512"), wide.columnNames());
    assertEquals(
        "| method | 256 | 512 |\n|---|---:|---:|\n| none | 11 | 20 |\n| pi | 30 |  |\n",
        Markdown.table(wide));
  }
}
