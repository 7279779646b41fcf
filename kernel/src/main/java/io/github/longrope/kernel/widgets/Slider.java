package io.github.longrope.kernel.widgets;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link IntSlider} and {@link FloatSlider} share: the front end's slider keys, the {@code min
 * <= value <= max} check (on construction and on every value set from Java), a positive step, and
 * the release-only reporting that keeps an observer that redraws a chart to one run per move.
 *
 * @param <T> the value type ({@code Integer} or {@code Double})
 */
public abstract class Slider<T extends Number & Comparable<T>> extends ValueWidget<T> {
  private final String kind;

  /**
   * Opens {@code kind}SliderModel/View with {@code description} and {@code min <= value <= max};
   * {@code extra} keys follow the common ones (a float slider's {@code slider_color}).
   */
  protected Slider(
      String kind,
      Class<T> type,
      String description,
      T min,
      T max,
      T value,
      T step,
      String readoutFormat,
      Map<String, Object> extra) {
    super(
        kind + "Model",
        kind + "View",
        type,
        sliderKeys(kind, description, min, max, value, step, readoutFormat, extra));
    this.kind = kind;
  }

  private static <T extends Number & Comparable<T>> Map<String, Object> sliderKeys(
      String kind,
      String description,
      T min,
      T max,
      T value,
      T step,
      String readoutFormat,
      Map<String, Object> extra) {
    Map<String, Object> keys =
        keys(
            "description",
            description,
            "disabled",
            false,
            "value",
            check(kind, min, max, value),
            "min",
            min,
            "max",
            max,
            "step",
            step,
            "orientation",
            "horizontal",
            "readout",
            true,
            "readout_format",
            readoutFormat);
    Map<String, Object> all = new LinkedHashMap<>(keys);
    all.putAll(extra);
    all.put("continuous_update", false);
    all.put("_range", false);
    return all;
  }

  private static <T extends Comparable<T>> T check(String kind, T min, T max, T value) {
    // compareTo orders NaN above every double, so a NaN value or bound fails here too
    if (min.compareTo(max) > 0 || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          kind + ": need min <= value <= max, got " + min + " <= " + value + " <= " + max);
    }
    return value;
  }

  /** The lowest value. */
  @SuppressWarnings("unchecked")
  public T min() {
    return (T) get("min");
  }

  /** The highest value. */
  @SuppressWarnings("unchecked")
  public T max() {
    return (T) get("max");
  }

  /** Sets the step between values (positive); for the subclasses' typed {@code step}. */
  protected final void setStep(T step) {
    if (!(step.doubleValue() > 0)) {
      throw new IllegalArgumentException(kind + " step must be positive, got " + step);
    }
    set("step", step);
  }

  /** Whether the value is sent while the handle is dragged (default false: on release). */
  protected final void setContinuousUpdate(boolean continuous) {
    set("continuous_update", continuous);
  }

  @Override
  protected T checked(T value) {
    return check(kind, min(), max(), value);
  }
}
