package io.github.longrope.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TracebackColorsTest {
  @Test
  void errorLinesRedCellFramesGreenSourcePlain() {
    List<String> lines =
        List.of(
            "java.lang.IllegalStateException: boom",
            "    at half (cell [3], line 3):  throw new IllegalStateException(\"boom\");",
            "    at cell [4], line 2:  half(-1)",
            "    at setup.jsh, line 2:  go()",
            "    at java.base/java.util.Objects.requireNonNull(Objects.java:209)",
            "Caused by: java.io.IOException: inner",
            "    int z = \"s\";",
            "            ^-^");
    List<String> c = TracebackColors.of(lines);
    String r = TracebackColors.RED;
    String g = TracebackColors.GREEN;
    String x = TracebackColors.RESET;
    assertEquals(r + "java.lang.IllegalStateException: boom" + x, c.get(0));
    assertEquals(
        g + "    at half (cell [3], line 3)" + x + ":  throw new IllegalStateException(\"boom\");",
        c.get(1));
    assertEquals(g + "    at cell [4], line 2" + x + ":  half(-1)", c.get(2));
    assertEquals(g + "    at setup.jsh, line 2" + x + ":  go()", c.get(3));
    assertEquals(lines.get(4), c.get(4));
    assertEquals(r + "Caused by: java.io.IOException: inner" + x, c.get(5));
    assertEquals(lines.get(6), c.get(6));
    assertEquals(r + "            ^-^" + x, c.get(7));
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(lines.get(i), TracebackColors.plain(c.get(i)));
    }
  }
}
