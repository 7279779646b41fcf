package io.github.longrope.kernel.widgets;

/** Widgets side by side. */
public final class HBox extends Box {
  public HBox(Widget... children) {
    super("HBoxModel", "HBoxView", children);
  }
}
