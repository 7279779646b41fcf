package io.github.longrope.kernel.widgets;

/**
 * An output (a chart, a table) that can be redrawn at any time, also from a background thread after
 * its cell has finished: the front end finds it by display id. {@code updateDisplay} from a cell
 * only reaches outputs while that cell runs; this is its counterpart for work that outlives the
 * cell, such as a search started by a {@link StartStop} button.
 *
 * <pre>{@code
 * LiveOutput chart = LiveOutput.show(monitor.chart());
 * monitor.onUpdate(m -> chart.redraw(m.chart()));
 * }</pre>
 */
public final class LiveOutput {
  private final String displayId;

  private LiveOutput(String displayId) {
    this.displayId = displayId;
  }

  /** Shows {@code value} below the running cell. */
  public static LiveOutput show(Object value) {
    return new LiveOutput(Widgets.host().display(value));
  }

  /** Replaces the output by {@code value}. */
  public void redraw(Object value) {
    Widgets.host().updateDisplay(displayId, value);
  }

  /** The display id (what the front end and the saved notebook call this output). */
  public String displayId() {
    return displayId;
  }
}
