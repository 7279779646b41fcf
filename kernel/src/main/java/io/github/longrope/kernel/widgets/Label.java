package io.github.longrope.kernel.widgets;

/** A line of text that the kernel changes (a status line); the front end cannot edit it. */
public final class Label extends ValueWidget<String> {
  public Label(String value) {
    super(
        "LabelModel",
        "LabelView",
        String.class,
        keys("description", "", "disabled", false, "placeholder", "\u200b", "value", value));
  }

  @Override
  public String describe() {
    return value();
  }
}
