package io.github.longrope.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.util.Objects;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.table.Relation;

/**
 * Turns cell values into Jupyter MIME bundles: Tablesaw tables → {@code text/html} + {@code
 * text/plain}; XChart charts → {@code image/png} (or {@code image/svg+xml} when asked for); arrays
 * and large collections → readable, cut {@code text/plain}; {@link DisplayData} as is; anything
 * else → {@code toString()} (and the base kernel's image/URL renderers).
 */
public final class Renderers {
  /** Rows shown for a table unless configured ({@code LONGROPE_KERNEL_MAX_ROWS}). */
  public static final int DEFAULT_MAX_ROWS = 30;

  /** Elements shown per array level. */
  public static final int MAX_ARRAY_ELEMENTS = 200;

  private final Renderer renderer;
  private volatile int maxRows;

  /** Registers the table and chart renderers on the base kernel's {@code renderer}. */
  public Renderers(Renderer renderer, int maxRows) {
    this.renderer = Objects.requireNonNull(renderer, "renderer");
    setMaxRows(maxRows);
    renderer
        .createRegistration(Relation.class)
        .preferring(MIMEType.TEXT_HTML)
        .supporting(MIMEType.TEXT_PLAIN)
        .register(
            (table, ctx) -> {
              int rows = this.maxRows;
              ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> TableRenderer.html(table, rows));
              ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> TableRenderer.text(table, rows));
            });
    @SuppressWarnings({"rawtypes", "unchecked"})
    Class<Chart<?, ?>> chartClass = (Class) Chart.class;
    renderer
        .createRegistration(chartClass)
        .preferring(MIMEType.IMAGE_PNG)
        .supporting(MIMEType.IMAGE_SVG)
        .register(
            (chart, ctx) -> {
              ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> ChartRenderer.pngBase64(chart));
              ctx.renderIfRequested(MIMEType.IMAGE_SVG, () -> ChartRenderer.svg(chart));
              ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> chartText(chart));
            });
  }

  /** Rows shown per table from now on (at least 1). */
  public void setMaxRows(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("max rows must be >= 1, got " + rows);
    }
    this.maxRows = rows;
  }

  public int maxRows() {
    return maxRows;
  }

  /**
   * The bundle for {@code value} in its preferred MIME types, or in {@code mimeTypes} when given
   * (e.g. {@code "image/svg+xml"}).
   */
  public DisplayData render(Object value, String... mimeTypes) {
    if (value instanceof DisplayData data) {
      return data;
    }
    if (ArrayText.applies(value, MAX_ARRAY_ELEMENTS)) {
      return new DisplayData(ArrayText.of(value, MAX_ARRAY_ELEMENTS));
    }
    if (mimeTypes != null && mimeTypes.length > 0) {
      return renderer.renderAs(value, mimeTypes);
    }
    return value == null ? new DisplayData("null") : renderer.render(value);
  }

  private static String chartText(Chart<?, ?> chart) {
    String title = chart.getTitle();
    return chart.getClass().getSimpleName()
        + (title == null || title.isBlank() ? "" : " \"" + title + "\"")
        + " ("
        + chart.getWidth()
        + "×"
        + chart.getHeight()
        + ")";
  }
}
