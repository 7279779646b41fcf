package io.github.longrope.kernel.widgets;

import java.util.List;

/**
 * A choice among labels; the value is the chosen label.
 *
 * <pre>{@code
 * Dropdown method = new Dropdown("method", List.of("PI", "YaRN", "LongRoPE"), "YaRN");
 * }</pre>
 */
public final class Dropdown extends ValueWidget<String> {
  private final List<String> options;

  public Dropdown(String description, List<String> options, String value) {
    super(
        "DropdownModel",
        "DropdownView",
        String.class,
        keys(
            "description",
            description,
            "disabled",
            false,
            "_options_labels",
            List.copyOf(options),
            "value",
            check(options, value)));
    this.options = List.copyOf(options);
  }

  private static String check(List<String> options, String value) {
    if (!options.contains(value)) {
      throw new IllegalArgumentException(
          "Dropdown: value '" + value + "' is not one of the options " + options);
    }
    return value;
  }

  /** The labels to choose from. */
  public List<String> options() {
    return options;
  }

  @Override
  protected String checked(String value) {
    return check(options, value);
  }
}
