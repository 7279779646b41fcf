package io.github.longrope.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TableRendererTest {
  private static Table small() {
    return Table.create(
        "demo <1>",
        StringColumn.create("name", new String[] {"<b>bold</b>", "a & b", "it's \"q\""}),
        DoubleColumn.create("value", new double[] {1.5, 10.25, 100}));
  }

  @Test
  void htmlEscapesNamesHeadersAndCells() {
    String html = TableRenderer.html(small(), 10);
    assertTrue(html.contains("<b>demo &lt;1&gt;</b>"), html);
    assertTrue(html.contains("3 rows &times; 2 columns"), html);
    assertTrue(html.contains("<th>name</th><th>value</th>"), html);
    assertTrue(html.contains("<td>&lt;b&gt;bold&lt;/b&gt;</td>"), html);
    assertTrue(html.contains("<td>a &amp; b</td>"), html);
    assertTrue(html.contains("<td>it&#39;s &quot;q&quot;</td>"), html);
    assertTrue(html.contains("<td style=\"text-align:right\">10.25</td>"), html);
    assertFalse(html.contains("more row"), html);
  }

  @Test
  void htmlStopsAtTheRowLimitWithANote() {
    Table t = Table.create("big", IntColumn.create("i", IntStream.range(0, 100).toArray()));
    String html = TableRenderer.html(t, 30);
    assertEquals(30, html.split("<tr>", -1).length - 2, "header row + 30 body rows");
    assertTrue(html.contains("<td style=\"text-align:right\">29</td>"), html);
    assertFalse(html.contains(">30</td>"), html);
    assertTrue(html.contains("&hellip; 70 more rows"), html);
    assertTrue(TableRenderer.html(t, 99).contains("&hellip; 1 more row<"));
  }

  @Test
  void textAlignsColumnsAndNotesHiddenRows() {
    Table t =
        Table.create(
            "t",
            StringColumn.create("s", new String[] {"x", "longer", "z"}),
            IntColumn.create("n", new int[] {5, 123, 7}));
    String text = TableRenderer.text(t, 2);
    assertEquals(
        String.join(
                "\n",
                "t: 3 rows × 2 columns",
                "s      |   n",
                "-------+----",
                "x      |   5",
                "longer | 123",
                "… 1 more row")
            + "\n",
        text);
  }

  @Test
  void emptyTableAndUnnamedTable() {
    Table t = Table.create(IntColumn.create("i"));
    assertTrue(TableRenderer.html(t, 5).contains("0 rows &times; 1 column<"));
    assertTrue(TableRenderer.text(t, 5).startsWith("0 rows × 1 column\n"));
  }
}
