package io.github.longrope.kernel.widgets;

/** Widgets one below the other. */
public final class VBox extends Box {
  public VBox(Widget... children) {
    super("VBoxModel", "VBoxView", children);
  }
}
