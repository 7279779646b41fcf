package io.github.longrope.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/** A table from records: names, order, types, missing values, enums, and the empty table. */
class RecordTablesTest {
  enum Policy {
    RECOMPUTE,
    FIXED
  }

  private record Row(
      int generation,
      long forwardTokens,
      double bestSoFar,
      Double pTrue,
      boolean exact,
      String state,
      Policy policy) {}

  @Test
  void oneColumnPerComponentInOrderSnakeCaseAndTyped() {
    Table t =
        RecordTables.of(
            "search",
            Row.class,
            List.of(
                new Row(0, 10L, 3.5, 0.25, true, "done", Policy.FIXED),
                new Row(1, 20L, Double.NaN, null, false, null, Policy.RECOMPUTE)));
    assertEquals("search", t.name());
    assertEquals(
        List.of(
            "generation", "forward_tokens", "best_so_far", "p_true", "exact", "state", "policy"),
        t.columnNames());
    assertEquals(
        List.of(
            ColumnType.INTEGER,
            ColumnType.LONG,
            ColumnType.DOUBLE,
            ColumnType.DOUBLE,
            ColumnType.BOOLEAN,
            ColumnType.STRING,
            ColumnType.STRING),
        t.columns().stream().map(c -> c.type()).toList());
    assertEquals(2, t.rowCount());
    assertEquals(20L, t.longColumn("forward_tokens").get(1));
    assertEquals(3.5, t.doubleColumn("best_so_far").get(0));
    assertTrue(t.doubleColumn("best_so_far").isMissing(1), "NaN is a missing cell");
    assertTrue(t.doubleColumn("p_true").isMissing(1), "null is a missing cell");
    assertEquals("fixed", t.stringColumn("policy").get(0));
    assertEquals("recompute", t.stringColumn("policy").get(1));
    assertTrue(t.stringColumn("state").isMissing(1));
  }

  @Test
  void noRowsStillHasTheColumns() {
    Table t = RecordTables.of("empty", Row.class, List.of());
    assertEquals(0, t.rowCount());
    assertEquals(7, t.columnCount());
  }

  private record Unsupported(int[] values) {}

  @Test
  void aComponentWithoutAColumnTypeIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RecordTables.of("x", Unsupported.class, List.of()));
    assertTrue(e.getMessage().contains("Unsupported.values"), e.getMessage());
  }

  @Test
  void snakeCase() {
    assertEquals("best_so_far", RecordTables.snakeCase("bestSoFar"));
    assertEquals("p_true", RecordTables.snakeCase("pTrue"));
    assertEquals("l2_norm", RecordTables.snakeCase("l2Norm"));
    assertEquals("trial", RecordTables.snakeCase("trial"));
  }
}
