package io.github.longrope.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.rope.FactorTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FactorFileTest {
  @TempDir Path dir;

  @Test
  void readsTheOfficialOnePerLineLayout() {
    // numpy savetxt default %.18e, as result_final.csv
    String text =
        "1.000000000000000000e+00\n1.500000000000000000e+00\n3.000000000000000000e+00\n"
            + "4.000000000000000000e+00\n";
    FactorFile.Loaded loaded = FactorFile.parse(text, "result_final.csv");
    assertArrayEquals(new double[] {1, 1.5, 3, 4}, loaded.table().row(0));
    assertTrue(loaded.table().isShared());
    assertTrue(loaded.warnings().isEmpty());
  }

  @Test
  void readsCommaRowsAsSharedOrPerLayer() {
    assertArrayEquals(
        new double[] {1, 1.5, 3, 4}, FactorFile.parse("1, 1.5,3 ,4\n", "one row").table().row(0));
    FactorTable perLayer =
        FactorFile.parse("# layers x d/2\n1,1.5,3,4\n\n1,2,3,5\n", "matrix").table();
    assertEquals(2, perLayer.layers());
    assertArrayEquals(new double[] {1, 2, 3, 5}, perLayer.row(1));
  }

  @Test
  void roundTripsAtFullPrecisionAndAtomically() throws Exception {
    FactorTable shared =
        FactorTable.of(1.0, 1.0199999809265137, 2.000000000000001, 64.83999633789062, 0.1 + 0.2);
    Path f = dir.resolve("shared.csv");
    FactorFile.write(f, shared);
    assertEquals(shared, FactorFile.read(f).table());
    assertEquals(5, Files.readAllLines(f).size(), "one value per line");

    FactorTable perLayer = FactorTable.ofRows(new double[][] {{1, Math.PI}, {Math.E, 7}});
    Path g = dir.resolve("layers.csv");
    FactorFile.write(g, perLayer);
    assertEquals(perLayer, FactorFile.read(g).table());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(2, files.count(), "no temporary files left behind");
    }
  }

  @Test
  void nonMonotoneFilesLoadWithAWarningNamingTheIndex() {
    // the shape of ft_mis_128k: decreasing at dims 5–8
    FactorFile.Loaded loaded =
        FactorFile.parse("1.0\n1.02\n1.05\n1.08\n1.1\n1.11\n1.1\n1.09\n1.08\n1.2\n", "ft_mis.csv");
    assertEquals(10, loaded.table().width());
    assertEquals(1, loaded.warnings().size());
    String w = loaded.warnings().get(0);
    assertTrue(w.contains("ft_mis.csv") && w.contains("index 6"), w);
  }

  @Test
  void badFilesNameFileLineAndProblem() {
    assertBad("1.0\nabc\n", "line 2, value 1", "'abc' is not a number");
    assertBad("1.0\nNaN\n", "line 2", "not finite");
    assertBad("1.0\ninf\n", "line 2", "not finite");
    assertBad("1.0\n0\n", "line 2", "must be > 0");
    assertBad("1.0\n-2\n", "line 2", "must be > 0");
    assertBad("1,2,3\n1,2\n", "line 2", "has 2 values but the first row has 3");
    assertBad("\n# nothing\n", "", "empty");
    FormatException wrongWidth =
        assertThrows(
            FormatException.class,
            () -> {
              Path f = dir.resolve("short.csv");
              Files.writeString(f, "1\n2\n3\n");
              FactorFile.read(f, 64);
            });
    assertTrue(wrongWidth.getMessage().contains("short.csv"), wrongWidth.getMessage());
    assertTrue(wrongWidth.getMessage().contains("expected d/2 = 64"), wrongWidth.getMessage());
    FormatException missing =
        assertThrows(FormatException.class, () -> FactorFile.read(dir.resolve("nope.csv")));
    assertTrue(
        missing.getMessage().contains("nope.csv: factor file not found"), missing.getMessage());
  }

  static void assertBad(String text, String where, String problem) {
    FormatException e = assertThrows(FormatException.class, () -> FactorFile.parse(text, "f.csv"));
    assertTrue(e.getMessage().startsWith("f.csv"), e.getMessage());
    assertTrue(e.getMessage().contains(where), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }
}
