package io.github.longrope.kernel.widgets;

/**
 * A slider over real numbers {@code min..max} in steps of {@code step} (default 0.1), read out with
 * {@code readout_format} (default {@code .2f}).
 *
 * <pre>{@code
 * FloatSlider scale = new FloatSlider("scale s", 1, 64, 8).step(1);
 * }</pre>
 *
 * <p>Like {@link IntSlider} it reports its value on release.
 */
public final class FloatSlider extends ValueWidget<Double> {
  public FloatSlider(String description, double min, double max, double value) {
    super(
        "FloatSliderModel",
        "FloatSliderView",
        Double.class,
        keys(
            "description",
            description,
            "disabled",
            false,
            "value",
            check(min, max, value),
            "min",
            min,
            "max",
            max,
            "step",
            0.1,
            "orientation",
            "horizontal",
            "readout",
            true,
            "readout_format",
            ".2f",
            "slider_color",
            null,
            "continuous_update",
            false,
            "_range",
            false));
  }

  private static double check(double min, double max, double value) {
    if (!(min <= value && value <= max)) {
      throw new IllegalArgumentException(
          "FloatSlider: need min <= value <= max, got " + min + " <= " + value + " <= " + max);
    }
    return value;
  }

  /** The step between values. */
  public FloatSlider step(double step) {
    if (!(step > 0)) {
      throw new IllegalArgumentException("FloatSlider step must be positive, got " + step);
    }
    set("step", step);
    return this;
  }

  /** The readout's format (a d3-format string such as {@code .0f} or {@code .3g}). */
  public FloatSlider readoutFormat(String format) {
    set("readout_format", format);
    return this;
  }

  /** Whether the value is sent while the handle is dragged (default false: on release). */
  public FloatSlider continuousUpdate(boolean continuous) {
    set("continuous_update", continuous);
    return this;
  }

  @Override
  protected Double checked(Double value) {
    return check((Double) get("min"), (Double) get("max"), value);
  }
}
