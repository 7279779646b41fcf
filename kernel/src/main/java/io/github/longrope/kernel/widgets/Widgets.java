package io.github.longrope.kernel.widgets;

import java.util.Objects;

/** The kernel's {@link WidgetHost}, installed once at start-up. */
public final class Widgets {
  private static volatile WidgetHost host;

  private Widgets() {}

  /** Installs the host (the kernel at start-up; tests install a recording one). */
  public static void install(WidgetHost widgetHost) {
    host = Objects.requireNonNull(widgetHost, "widgetHost");
  }

  static WidgetHost host() {
    WidgetHost h = host;
    if (h == null) {
      throw new IllegalStateException("widgets need the Jupyter kernel: no kernel is running");
    }
    return h;
  }
}
