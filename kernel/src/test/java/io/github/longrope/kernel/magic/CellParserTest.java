package io.github.longrope.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.kernel.magic.CellParser.Code;
import io.github.longrope.kernel.magic.CellParser.LineMagic;
import java.util.List;
import org.junit.jupiter.api.Test;

class CellParserTest {
  @Test
  void javaOnlyIsOnePart() {
    CellParser.Parsed p = CellParser.parse("int a = 1;\na + 1");
    assertTrue(p.cellMagic().isEmpty());
    assertEquals(List.of(new Code("int a = 1;\na + 1", 1)), p.parts());
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
  void blankCellsHaveNoParts() {
    assertTrue(CellParser.parse("  \n\n").parts().isEmpty());
    assertEquals(List.of(new LineMagic("lsmagic", "", 1)), CellParser.parse("%lsmagic").parts());
  }
}
