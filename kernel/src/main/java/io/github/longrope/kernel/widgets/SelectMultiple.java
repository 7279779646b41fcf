package io.github.longrope.kernel.widgets;

import java.util.ArrayList;
import java.util.List;

/**
 * A list box in which any number of labels can be chosen (ctrl/shift-click); the value is the
 * chosen labels in the options' order.
 *
 * <pre>{@code
 * SelectMultiple methods = new SelectMultiple("methods", List.of("pi", "ntk", "yarn"), List.of("yarn"));
 * SelectMultiple lengths = SelectMultiple.ofInts("lengths", List.of(256, 512, 1024), List.of(256));
 * lengths.intValues()   // [256]
 * }</pre>
 *
 * <p>The installed front end's {@code SelectMultipleModel}: the options go as {@code
 * _options_labels}, the value as a list of labels, both ways.
 */
public final class SelectMultiple extends ValueWidget<List<String>> {
  private final List<String> options;

  @SuppressWarnings("unchecked")
  private static final Class<List<String>> LIST = (Class<List<String>>) (Class<?>) List.class;

  public SelectMultiple(String description, List<String> options, List<String> value) {
    super(
        "SelectMultipleModel",
        "SelectMultipleView",
        LIST,
        keys(
            "description",
            description,
            "disabled",
            false,
            "_options_labels",
            List.copyOf(options),
            "value",
            check(description, options, value)));
    this.options = List.copyOf(options);
  }

  /** Whole-number options (lengths, depths), shown as their decimal labels. */
  public static SelectMultiple ofInts(
      String description, List<Integer> options, List<Integer> value) {
    return new SelectMultiple(description, labels(options), labels(value));
  }

  private static List<String> labels(List<Integer> values) {
    return values.stream().map(String::valueOf).toList();
  }

  /** The chosen labels in the options' order; an error names the widget and a stranger. */
  private static List<String> check(String description, List<String> options, List<String> value) {
    for (String v : value) {
      if (!options.contains(v)) {
        throw new IllegalArgumentException(
            "SelectMultiple '"
                + description
                + "': '"
                + v
                + "' is not one of the options "
                + options);
      }
    }
    return options.stream().filter(value::contains).toList();
  }

  /** The labels to choose from. */
  public List<String> options() {
    return options;
  }

  /** The chosen labels as whole numbers (for {@link #ofInts} lists). */
  public List<Integer> intValues() {
    List<Integer> out = new ArrayList<>();
    for (String v : value()) {
      try {
        out.add(Integer.parseInt(v.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "'" + description() + "': '" + v + "' is not a whole number", e);
      }
    }
    return out;
  }

  /**
   * The chosen labels; the front end sends a fresh list (of strings) on every change, kept in the
   * options' order here.
   */
  @Override
  public List<String> value() {
    List<?> raw = (List<?>) get("value");
    List<String> labels = raw.stream().map(String::valueOf).toList();
    return options.stream().filter(labels::contains).toList();
  }

  @Override
  protected List<String> checked(List<String> value) {
    return check(description(), options, value);
  }

  @Override
  public String describe() {
    String d = description();
    return (d == null || d.isEmpty() ? "SelectMultiple" : d) + " = " + String.join(", ", value());
  }
}
