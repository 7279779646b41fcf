package io.github.longrope.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

class RenderersTest {
  private final Renderers renderers = new Renderers(new Renderer(), 5);

  @Test
  void tablesRenderAsHtmlAndTextWithTheRowLimit() {
    Table t = Table.create("t", IntColumn.create("i", IntStream.range(0, 8).toArray()));
    DisplayData d = renderers.render(t);
    String html = (String) d.getData(MIMEType.TEXT_HTML);
    assertTrue(html.contains("3 more rows"), html);
    assertTrue(((String) d.getData(MIMEType.TEXT_PLAIN)).contains("… 3 more rows"));
    renderers.setMaxRows(8);
    assertFalse(((String) renderers.render(t).getData(MIMEType.TEXT_HTML)).contains("more row"));
    assertThrows(IllegalArgumentException.class, () -> renderers.setMaxRows(0));
  }

  @Test
  void tableViewsRenderToo() {
    Table t = Table.create("t", IntColumn.create("i", IntStream.range(0, 8).toArray()));
    DisplayData d = renderers.render(t.where(t.intColumn("i").isGreaterThan(5)));
    assertTrue(((String) d.getData(MIMEType.TEXT_HTML)).contains("2 rows"));
  }

  @Test
  void chartsRenderAsPngAndSvgOnRequest() {
    XYChart c = new XYChartBuilder().width(100).height(80).title("c").build();
    c.addSeries("s", new double[] {1, 2}, new double[] {2, 1});
    DisplayData png = renderers.render(c);
    assertTrue(png.hasDataForType(MIMEType.IMAGE_PNG));
    assertFalse(png.hasDataForType(MIMEType.IMAGE_SVG));
    assertEquals("XYChart \"c\" (100×80)", png.getData(MIMEType.TEXT_PLAIN));
    DisplayData svg = renderers.render(c, "image/svg+xml");
    assertTrue(((String) svg.getData(MIMEType.IMAGE_SVG)).contains("<svg"));
    assertFalse(svg.hasDataForType(MIMEType.IMAGE_PNG));
  }

  @Test
  void arraysNullAndDisplayData() {
    assertEquals("[1, 2]", renderers.render(new int[] {1, 2}).getData(MIMEType.TEXT_PLAIN));
    assertEquals("null", renderers.render(null).getData(MIMEType.TEXT_PLAIN));
    DisplayData own = new DisplayData("x");
    assertSame(own, renderers.render(own));
    assertEquals("plain", renderers.render("plain").getData(MIMEType.TEXT_PLAIN));
  }
}
