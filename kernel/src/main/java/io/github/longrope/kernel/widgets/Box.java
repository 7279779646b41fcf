package io.github.longrope.kernel.widgets;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Widgets side by side ({@link HBox}) or one below the other ({@link VBox}). */
public abstract class Box extends Widget {
  private final List<Widget> children;

  protected Box(String model, String view, Widget... children) {
    super(
        model,
        view,
        keys(
            "box_style",
            "",
            "children",
            Arrays.stream(children).map(c -> REFERENCE + c.id()).toList()));
    this.children = List.of(children);
  }

  /** The widgets in this box, in order. */
  public List<Widget> children() {
    return children;
  }

  @Override
  public String describe() {
    return children.stream().map(Widget::describe).collect(Collectors.joining(" · "));
  }
}
