package io.github.longrope.kernel.widgets;

/** A one-line text field; the front end sends its value as it is typed. */
public final class Text extends ValueWidget<String> {
  public Text(String description, String value) {
    super(
        "TextModel",
        "TextView",
        String.class,
        keys(
            "description",
            description,
            "disabled",
            false,
            "placeholder",
            "\u200b",
            "value",
            value));
  }

  /** The value as a whole number, or an error naming the field when it is not one. */
  public int intValue() {
    String v = value().strip();
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + description() + "' must be a whole number, got '" + v + "'", e);
    }
  }
}
