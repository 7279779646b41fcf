package io.github.longrope.kernel.widgets;

/** A yes/no switch with a label. */
public final class Checkbox extends ValueWidget<Boolean> {
  public Checkbox(String description, boolean value) {
    super(
        "CheckboxModel",
        "CheckboxView",
        Boolean.class,
        keys("description", description, "disabled", false, "value", value));
  }
}
