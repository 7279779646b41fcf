package io.github.longrope.kernel.display;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

class ChartRendererTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private static XYChart xy() {
    XYChart c = new XYChartBuilder().width(320).height(200).title("squares").build();
    c.addSeries("y", new double[] {1, 2, 3}, new double[] {1, 4, 9});
    return c;
  }

  @Test
  void pngHasTheChartsSize() throws Exception {
    byte[] png = ChartRenderer.png(xy());
    assertArrayEquals(PNG_MAGIC, Arrays.copyOf(png, 8));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertTrue(image.getWidth() == 320 && image.getHeight() == 200);
  }

  @Test
  void base64DecodesToThePng() {
    XYChart c = xy();
    assertArrayEquals(ChartRenderer.png(c), Base64.getDecoder().decode(ChartRenderer.pngBase64(c)));
  }

  @Test
  void categoryChartsRenderToo() {
    CategoryChart c = new CategoryChartBuilder().width(200).height(150).build();
    c.addSeries("n", new double[] {1, 2}, new double[] {3, 4});
    assertArrayEquals(PNG_MAGIC, Arrays.copyOf(ChartRenderer.png(c), 8));
  }

  @Test
  void svgIsAnSvgDocument() {
    String svg = ChartRenderer.svg(xy());
    assertTrue(svg.contains("<svg") && svg.contains("</svg>"), svg.substring(0, 200));
  }
}
