package io.github.longrope.kernel.display;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * XChart charts (any {@link Chart}: XY, category, pie, heat map, ...) as PNG bytes, base64 PNG for
 * a Jupyter {@code image/png} bundle, or SVG text ({@code image/svg+xml}, on request only).
 *
 * <pre>{@code
 * String b64 = ChartRenderer.pngBase64(new XYChartBuilder().width(600).height(400).build());
 * }</pre>
 */
public final class ChartRenderer {
  private ChartRenderer() {}

  /** The chart drawn at its own width × height as PNG. */
  public static byte[] png(Chart<?, ?> chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode chart as PNG", e);
    }
  }

  /** {@link #png} as base64, the form Jupyter expects for {@code image/png}. */
  public static String pngBase64(Chart<?, ?> chart) {
    return Base64.getEncoder().encodeToString(png(chart));
  }

  /** The chart as an SVG document. */
  public static String svg(Chart<?, ?> chart) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      VectorGraphicsEncoder.saveVectorGraphic(
          chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode chart as SVG", e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
