package io.github.longrope.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapSeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Figures render headless into decodable PNGs of the chart's size, from the right cells. */
class ChartsTest {
  @TempDir Path dir;

  static Table ppl() {
    return Table.create(
        "books",
        StringColumn.create("method", "none", "none", "none", "pi", "pi", "pi"),
        IntColumn.create("length", 1024, 256, 512, 256, 512, 1024),
        DoubleColumn.create("ppl", 80.0, 20.0, 35.0, 25.0, 24.0, 23.5));
  }

  static Table grid() {
    IntColumn length = IntColumn.create("length");
    DoubleColumn depth = DoubleColumn.create("depth");
    IntColumn trials = IntColumn.create("trials");
    IntColumn correct = IntColumn.create("correct");
    int[] lengths = {256, 512, 1024};
    for (int l : lengths) {
      for (int d = 0; d <= 100; d += 50) {
        length.append(l);
        depth.append(d);
        trials.append(4);
        correct.append(l == 256 ? 4 : l == 512 ? d / 50 : 0);
      }
    }
    return Table.create("passkey", length, depth, trials, correct);
  }

  static BufferedImage decode(byte[] png) throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertTrue(img != null, "not a decodable image");
    return img;
  }

  @Test
  void perplexityChartHasOneSortedLinePerMethodOnALogAxis() throws Exception {
    XYChart chart = Charts.perplexityVsLength(ppl());
    assertEquals(List.of("none", "pi"), List.copyOf(chart.getSeriesMap().keySet()));
    XYSeries none = chart.getSeriesMap().get("none");
    assertArrayEquals(new double[] {8, 9, 10}, none.getXData(), 1e-12, "log2 of the lengths");
    var label = chart.getStyler().getxAxisTickLabelsFormattingFunction();
    assertEquals("256", label.apply(8.0));
    assertEquals("", label.apply(8.5), "no label between powers of two");
    assertEquals("16k", label.apply(14.0));
    assertEquals("2M", label.apply(21.0));
    assertArrayEquals(new double[] {20, 35, 80}, none.getYData());
    Path png = dir.resolve("ppl.png");
    ReportFiles.writePng(chart, png);
    BufferedImage img = decode(Files.readAllBytes(png));
    assertEquals(Charts.WIDTH, img.getWidth());
    assertEquals(Charts.HEIGHT, img.getHeight());
  }

  @Test
  void passkeyHeatMapHoldsAccuracyPerCell() throws Exception {
    HeatMapChart chart = Charts.passkeyHeatMap(grid(), "tiny");
    HeatMapSeries s = chart.getHeatMapSeries();
    assertEquals(List.of("256", "512", "1024"), s.getXData());
    assertEquals(List.of("0", "50", "100"), s.getYData());
    assertEquals(9, s.getHeatData().size());
    for (Number[] cell : s.getHeatData()) {
      int x = cell[0].intValue();
      int y = cell[1].intValue();
      double expected = x == 0 ? 1.0 : x == 1 ? y / 4.0 : 0.0;
      assertEquals(expected, cell[2].doubleValue(), 1e-12, "cell " + x + "," + y);
    }
    BufferedImage img = decode(ReportFiles.png(chart));
    assertEquals(Charts.WIDTH, img.getWidth());
    assertEquals(Charts.HEIGHT, img.getHeight());
  }

  @Test
  void accuracyBarsGroupByTaskWithErrorBars() throws Exception {
    Table mc =
        Table.create(
            "mc",
            StringColumn.create("task", "arc", "arc", "cloze", "cloze"),
            StringColumn.create("method", "none", "longrope", "none", "longrope"),
            DoubleColumn.create("accuracy", 0.25, 0.5, 0.75, 0.5),
            DoubleColumn.create("stderr", 0.1, 0.1, 0.05, 0.05));
    CategoryChart chart = Charts.accuracyBars(mc);
    assertEquals(List.of("none", "longrope"), List.copyOf(chart.getSeriesMap().keySet()));
    assertEquals(List.of(0.25, 0.75), List.copyOf(chart.getSeriesMap().get("none").getYData()));
    BufferedImage img = decode(ReportFiles.png(chart));
    assertEquals(Charts.WIDTH, img.getWidth());
  }

  @Test
  void missingColumnsAreNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Charts.lines(ppl(), "length", "loss", "method", false));
    assertTrue(e.getMessage().contains("'loss'") && e.getMessage().contains("books"));
  }

  @Test
  void notebookSizedFigures() throws Exception {
    int w = Charts.NOTEBOOK_WIDTH;
    int h = Charts.NOTEBOOK_HEIGHT;
    XYChart narrow = Charts.perplexityVsLength(ppl(), w, h);
    BufferedImage ppl = decode(ReportFiles.png(narrow));
    assertEquals(w, ppl.getWidth());
    assertEquals(h, ppl.getHeight());
    // log2 of the lengths on a linear axis, labelled in tokens at the powers of two
    assertArrayEquals(new double[] {8, 9, 10}, narrow.getSeriesMap().get("none").getXData());
    assertEquals("1024", Charts.powerOfTwoLabel(10.0));
    assertEquals("", Charts.powerOfTwoLabel(9.5));
    HeatMapChart hm = Charts.passkeyHeatMap(grid(), "8x", w, h);
    assertEquals(h, decode(ReportFiles.png(hm)).getHeight());
  }

  @Test
  void indexedSeriesPlotAgainstTheirIndex() throws Exception {
    java.util.Map<String, double[]> lambdas = new java.util.LinkedHashMap<>();
    lambdas.put("pi", new double[] {4, 4, 4});
    lambdas.put("found", new double[] {1, 2.5, 4.2});
    XYChart chart = Charts.indexed(lambdas, "dimension", "λ", 600, 340);
    assertEquals(List.of("pi", "found"), List.copyOf(chart.getSeriesMap().keySet()));
    XYSeries found = chart.getSeriesMap().get("found");
    assertArrayEquals(new double[] {0, 1, 2}, found.getXData());
    assertArrayEquals(new double[] {1, 2.5, 4.2}, found.getYData());
    assertEquals(600, decode(ReportFiles.png(chart)).getWidth());
    assertThrows(
        IllegalArgumentException.class,
        () -> Charts.indexed(java.util.Map.of(), "dimension", "λ", 600, 340));
  }

  @Test
  void headlessByDefault() {
    assertEquals("true", System.getProperty("java.awt.headless"));
  }
}
