package io.github.longrope.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.data.Documents;
import io.github.longrope.data.InMemoryDocuments;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.rope.LinearScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/**
 * The grid on a tiny random model directory (L = 16): its cells are {@link Perplexity#evaluate}'s
 * numbers, a cells file resumes to exactly the missing cells, an interrupt stops it between cells,
 * and its table has one schema.
 */
class PerplexityGridTest {
  @TempDir Path dir;
  EvalModel model;
  Documents docs;
  final PerplexityGrid grid =
      new PerplexityGrid(new Perplexity(2, 8, 2, 0, false), List.of(16, 32), 16, 0);

  @BeforeEach
  void modelAndDocuments() {
    ModelConfig c = TinyModelsAccess.llama(new NoScaling(), 16);
    Path m = dir.resolve("tiny");
    HfModel.write(m, c, TinyModelsAccess.weights(c, 1), SafetensorsFile.Dtype.F32);
    model = EvalModel.of(m);
    docs =
        new InMemoryDocuments(
            List.of(TinyModelsAccess.ids(c, 40, 2), TinyModelsAccess.ids(c, 33, 3)));
  }

  List<PerplexityGrid.Setting> methods() {
    Map<String, DoubleFunction<RopeScaling>> m = new LinkedHashMap<>();
    m.put("none", s -> new NoScaling());
    m.put("pi", s -> s <= 1 ? new NoScaling() : new LinearScaling(s));
    return grid.methods(model, m);
  }

  /** Records which cells were computed. */
  static final class Computed implements PerplexityGrid.Listener {
    final List<String> cells = new ArrayList<>();

    @Override
    public void cellDone(PerplexityGrid.Cell c, int done, int total) {
      cells.add(c.method() + "@" + c.length() + " " + done + "/" + total);
    }
  }

  @Test
  void cellsAreTheProtocolsNumbersAtTheGridsScale() {
    List<PerplexityGrid.Cell> cells = grid.run(methods(), docs, null);
    assertEquals(List.of("none", "none", "pi", "pi"), cells.stream().map(c -> c.method()).toList());
    PerplexityGrid.Cell pi32 = cells.get(3);
    assertEquals(2.0, pi32.scale());
    assertEquals("tiny", pi32.model());
    assertEquals("eval", pi32.dataset());
    try (Decoder d = model.load()) {
      Perplexity.Result expected =
          new Perplexity(32, 8, 2, 0, false).evaluate(d, new LinearScaling(2), docs, null);
      assertEquals(expected.ppl(), pi32.ppl(), 0.0);
      assertEquals(expected.windows(), pi32.windows());
      assertEquals(expected.tokens(), pi32.tokens());
      assertEquals(2, pi32.documents());
    }
    // at L every method is the unscaled RoPE
    assertEquals(cells.get(0).ppl(), cells.get(2).ppl(), 0.0);
  }

  @Test
  void aCellsFileResumesToExactlyTheMissingCells() throws Exception {
    Path file = dir.resolve("out/cells.jsonl");
    List<PerplexityGrid.Cell> all = grid.run(methods(), List.of(dataset()), file, null);
    List<String> lines = Files.readAllLines(file);
    assertEquals(4, lines.size());
    assertTrue(lines.get(0).contains("\"dataset\":\"books\""), lines.get(0));

    // keep pi@16 with a marked perplexity, and none@16 in the pipeline's earlier form (no data
    // set, no windows); cut the last line short as a kill would
    String marked = lines.get(2).replaceFirst("\"ppl\":[^,]+", "\"ppl\":1.5");
    String old =
        lines.get(0).replace("\"dataset\":\"books\",", "").replaceFirst(",\"windows\":\\d+", "");
    Files.writeString(file, old + "\n" + marked + "\n" + lines.get(3).substring(0, 20));
    Computed computed = new Computed();
    List<PerplexityGrid.Cell> again = grid.run(methods(), List.of(dataset()), file, computed);

    assertEquals(List.of("none@32 3/4", "pi@32 4/4"), computed.cells);
    assertEquals(1.5, again.get(2).ppl(), "a recorded cell is not computed again");
    assertEquals("books", again.get(0).dataset());
    assertEquals(0, again.get(0).windows());
    assertEquals(all.get(0).ppl(), again.get(0).ppl(), 0.0);
    assertEquals(all.get(3).ppl(), again.get(3).ppl(), 0.0);
    assertEquals(4, Files.readAllLines(file).size(), "the torn line is replaced");
    assertEquals(old, Files.readAllLines(file).get(0), "kept lines stay as written");
  }

  PerplexityGrid.Dataset dataset() {
    return new PerplexityGrid.Dataset("books", docs);
  }

  @Test
  void anInterruptStopsBetweenCellsKeepingTheFinishedOnes() throws Exception {
    Path file = dir.resolve("cells.jsonl");
    try {
      assertThrows(
          CancellationException.class,
          () ->
              grid.run(
                  methods(),
                  List.of(dataset()),
                  file,
                  (cell, done, total) -> Thread.currentThread().interrupt()));
    } finally {
      assertTrue(Thread.interrupted(), "the flag is left for the caller");
    }
    assertEquals(1, Files.readAllLines(file).size());
  }

  @Test
  void tableHasOneSchemaInGridOrder() {
    PerplexityGrid.Dataset other = new PerplexityGrid.Dataset("other", docs);
    List<PerplexityGrid.Cell> cells =
        grid.run(
            List.of(PerplexityGrid.Setting.fixed("own", model, new NoScaling())),
            List.of(dataset(), other),
            null,
            null);
    Table t = PerplexityGrid.table("ppl", cells);
    assertEquals(
        List.of(
            "method",
            "model",
            "dataset",
            "length",
            "scale",
            "ppl",
            "tokens",
            "windows",
            "documents",
            "seconds"),
        t.columnNames());
    assertEquals(ColumnType.LONG, t.column("tokens").type());
    assertEquals(List.of("books", "books", "other", "other"), t.stringColumn("dataset").asList());
    assertEquals(List.of(16, 32, 16, 32), t.intColumn("length").asList());
    assertEquals(t.doubleColumn("ppl").get(0), t.doubleColumn("ppl").get(2), 0.0);
  }

  @Test
  void settingsNeedDistinctNames() {
    PerplexityGrid.Setting a = PerplexityGrid.Setting.fixed("a", model, new NoScaling());
    assertThrows(IllegalArgumentException.class, () -> grid.run(List.of(a, a), docs, null));
  }
}
