package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.FactorFile;
import io.github.longrope.io.Json;
import io.github.longrope.rope.FactorTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run directory: history lines, torn tails, factor CSVs, resume checks. */
class RunRecordTest {
  @TempDir Path dir;

  static ObjectNode config(int v) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("target_length", v);
    o.putObject("search").put("seed", 42);
    return o;
  }

  static HistoryEntry entry(double f) {
    return new HistoryEntry(3, new Candidate(new double[] {1, 1.01, 2.5198421}, 4, 8), f, 0.25);
  }

  @Test
  void historyLinesRoundTripExactly() {
    try (RunRecord r = RunRecord.open(dir, config(1), false)) {
      r.append(entry(12.345678901234567));
      r.append(entry(Double.POSITIVE_INFINITY));
    }
    List<HistoryEntry> h = RunRecord.readHistory(dir.resolve(RunRecord.HISTORY));
    assertEquals(List.of(entry(12.345678901234567), entry(Double.POSITIVE_INFINITY)), h);
    assertTrue(
        RunRecord.format(entry(Double.NaN)).contains("\"fitness\":null"),
        "non-finite fitness is written as null");
  }

  @Test
  void aTornLastLineIsDroppedAndAppendsContinueCleanly() throws Exception {
    try (RunRecord r = RunRecord.open(dir, config(1), false)) {
      r.append(entry(1));
      r.append(entry(2));
    }
    Path h = dir.resolve(RunRecord.HISTORY);
    String text = Files.readString(h);
    Files.writeString(h, text + RunRecord.format(entry(3)).substring(0, 17));
    try (RunRecord r = RunRecord.open(dir, config(1), true)) {
      assertEquals(2, r.loaded().size());
      assertEquals(17, r.droppedBytes());
      r.append(entry(4));
    }
    assertEquals(
        List.of(entry(1), entry(2), entry(4)), RunRecord.readHistory(h), "no garbage in between");
  }

  @Test
  void aDamagedLineInTheMiddleIsAnError() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(RunRecord.CONFIG), Json.write(config(1)));
    Files.writeString(
        dir.resolve(RunRecord.HISTORY),
        RunRecord.format(entry(1))
            + "\n{\"generation\": 1, \"fac\n"
            + RunRecord.format(entry(2))
            + "\n");
    String e =
        assertThrows(IllegalArgumentException.class, () -> RunRecord.open(dir, config(1), true))
            .getMessage();
    assertTrue(e.contains("line 2") && e.contains("damaged"), e);
  }

  @Test
  void resumeChecksTheSettingsAndANewRunRefusesAnOldDirectory() {
    try (RunRecord r = RunRecord.open(dir, config(1), false)) {
      r.append(entry(1));
    }
    String e =
        assertThrows(IllegalArgumentException.class, () -> RunRecord.open(dir, config(1), false))
            .getMessage();
    assertTrue(e.contains("--resume"), e);
    e =
        assertThrows(IllegalArgumentException.class, () -> RunRecord.open(dir, config(2), true))
            .getMessage();
    assertTrue(e.contains("'target_length' was 1, now 2"), e);
    e =
        assertThrows(
                IllegalArgumentException.class,
                () -> RunRecord.open(dir.resolve("empty"), config(1), true))
            .getMessage();
    assertTrue(e.contains("nothing to resume"), e);
  }

  @Test
  void factorCsvIsNumpysSavetxtLayout() {
    // np.savetxt(f, [1.0, 1.01, 2.5198421, 1e-5, 123456.789, 0.1 + 0.2, 1.0000000000000002])
    String expected =
        "1.000000000000000000e+00\n"
            + "1.010000000000000009e+00\n"
            + "2.519842099999999974e+00\n"
            + "1.000000000000000082e-05\n"
            + "1.234567890000000043e+05\n"
            + "3.000000000000000444e-01\n"
            + "1.000000000000000222e+00\n";
    FactorTable t =
        FactorTable.of(1.0, 1.01, 2.5198421, 1e-5, 123456.789, 0.1 + 0.2, 1.0000000000000002);
    assertEquals(expected, RunRecord.csv(t));
    assertEquals(t, FactorFile.parse(RunRecord.csv(t), "csv").table(), "reads back exactly");
    FactorTable layers = FactorTable.ofRows(new double[][] {{1, 2}, {3, 4}});
    assertEquals(layers, FactorFile.parse(RunRecord.csv(layers), "csv").table());
  }
}
