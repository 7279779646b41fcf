package io.github.longrope.kernel.runtime;

import java.util.Objects;
import java.util.UUID;

/**
 * Functions every cell can call without a prefix (the kernel imports them statically):
 *
 * <pre>{@code
 * String id = display(progressTable);          // a new output below the cell, returns its id
 * search.run(gen -> updateDisplay(id, gen.toTable()));   // redrawn in place while the cell runs
 * display(chart, "image/svg+xml");             // a chosen MIME type
 * }</pre>
 *
 * <p>Tables render as HTML, charts as PNG (see the kernel README). Outside a running cell (for
 * example from a background thread after the cell finished) displays are dropped: Jupyter has no
 * cell to attach them to.
 */
public final class Notebook {
  private static volatile DisplaySink sink;

  private Notebook() {}

  /** Installs the kernel's sink (called once by the kernel at start-up). */
  public static void install(DisplaySink displaySink) {
    sink = Objects.requireNonNull(displaySink, "displaySink");
  }

  /**
   * Shows {@code value} as a new output of the running cell and returns its display id, for {@link
   * #updateDisplay}.
   */
  public static String display(Object value) {
    return display(value, new String[0]);
  }

  /** {@link #display(Object)} rendered as the given MIME types (e.g. {@code "text/html"}). */
  public static String display(Object value, String... mimeTypes) {
    String id = UUID.randomUUID().toString();
    requireSink().display(id, value, mimeTypes);
    return id;
  }

  /** Redraws the output {@code id} (from {@link #display}) with {@code value}. */
  public static void updateDisplay(String id, Object value) {
    updateDisplay(id, value, new String[0]);
  }

  /** {@link #updateDisplay(String, Object)} rendered as the given MIME types. */
  public static void updateDisplay(String id, Object value, String... mimeTypes) {
    Objects.requireNonNull(id, "display id");
    requireSink().update(id, value, mimeTypes);
  }

  private static DisplaySink requireSink() {
    DisplaySink s = sink;
    if (s == null) {
      throw new IllegalStateException("display() needs the Jupyter kernel: no kernel is running");
    }
    return s;
  }
}
