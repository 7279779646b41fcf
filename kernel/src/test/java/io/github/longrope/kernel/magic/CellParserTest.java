package io.github.longrope.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.kernel.magic.CellParser.Code;
import io.github.longrope.kernel.magic.CellParser.LineMagic;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CellParserTest {
  /**
   * The magic/Java boundary as a table: a cell ({@code |} for a line break) and what each part
   * became, {@code J} for Java, {@code %name} for a line magic, in order.
   */
  @ParameterizedTest(name = "{0}  ->  {1}")
  @CsvSource(
      delimiter = '~',
      quoteCharacter = '`',
      value = {
        // a magic stands where a new top-level statement starts
        "%time f()                                        ~ %time",
        "int a = 1;|%time a + 1                           ~ J %time",
        "if (x) {|}|%time f()|g();                        ~ J %time J",
        "%maven g:a:1|%time f()                           ~ %maven %time",
        "  %lsmagic                                       ~ %lsmagic",
        // an unknown name at a statement start is still a magic (and an error naming the real ones)
        "int a = 1;|%nope 3                               ~ J %nope",
        // a line that continues an expression is Java (google-java-format breaks before operators)
        "int bucket = step|    % 100;                     ~ J",
        "int bucket = step|    %time;                     ~ J",
        "long r = f(a,|    %time);                        ~ J",
        "int x = 7|%time f()                              ~ J",
        // inside brackets, comments, strings and text blocks it is Java
        "void f() {|  %time g();|}                        ~ J",
        "String s = \"\"\"|    %d tokens|    %time x|    \"\"\";  ~ J",
        "String s = \"\"\"|  a \\\"\"\" b|%time x|\"\"\";|%time y   ~ J %time",
        "/* notes|%time x|*/|int a;                       ~ J",
        "String s = \"/*\";|%time x                       ~ J %time",
        "// a comment;|%time x                            ~ J %time",
        "char c = '{';|%time x                            ~ J %time",
        // not a magic name: Java (which the compiler reports)
        "%100;                                            ~ J",
        "% time                                           ~ J",
      })
  void theMagicJavaBoundary(String cell, String expected) {
    CellParser.Parsed p = CellParser.parse(cell.strip().replace("|", "\n"));
    String kinds =
        p.parts().stream()
            .map(part -> part instanceof LineMagic m ? "%" + m.name() : "J")
            .collect(Collectors.joining(" "));
    assertEquals(expected.strip(), kinds, cell);
  }

  @Test
  void javaOnlyIsOnePart() {
    CellParser.Parsed p = CellParser.parse("int a = 1;\na + 1");
    assertTrue(p.cellMagic().isEmpty());
    assertEquals(List.of(new Code("int a = 1;\na + 1", 1)), p.parts());
  }

  @Test
  void aContinuationLineStaysInItsStatement() {
    String cell = "int step = 250;\nint bucket = step\n    % 100;\nbucket";
    assertEquals(List.of(new Code(cell, 1)), CellParser.parse(cell).parts());
  }

  @Test
  void lineMagicsSplitTheCellAndKeepLineNumbers() {
    CellParser.Parsed p =
        CellParser.parse("int a = 1;\n  %maven  g:a:1  g:b:2 \n\nint b = 2;\n%time b + 1");
    assertEquals(
        List.of(
            new Code("int a = 1;", 1),
            new LineMagic("maven", "g:a:1  g:b:2", 2),
            new Code("\nint b = 2;", 3),
            new LineMagic("time", "b + 1", 5)),
        p.parts());
  }

  @Test
  void aFirstLineWithTwoPercentSignsMakesACellMagic() {
    CellParser.Parsed p = CellParser.parse("\n%%time warm\nint q = 6;\nq * 7");
    CellParser.CellMagic m = p.cellMagic().orElseThrow();
    assertEquals("time", m.name());
    assertEquals("warm", m.args());
    assertEquals("int q = 6;\nq * 7", m.body());
    assertEquals(3, m.bodyFirstLine());
    assertTrue(p.parts().isEmpty());
  }

  @Test
  void javaOnlyBlanksMagicLinesAndKeepsOffsets() {
    String cell = "int a = 1;\n%time a\nint b = a\n    % 2;";
    String java = CellParser.javaOnly(cell);
    assertEquals(cell.length(), java.length());
    assertEquals("int a = 1;\n       \nint b = a\n    % 2;", java);
    assertEquals("      \nint q;", CellParser.javaOnly("%%time\nint q;"));
  }

  @Test
  void blankCellsHaveNoParts() {
    assertTrue(CellParser.parse("  \n\n").parts().isEmpty());
    assertEquals(List.of(new LineMagic("lsmagic", "", 1)), CellParser.parse("%lsmagic").parts());
  }
}
