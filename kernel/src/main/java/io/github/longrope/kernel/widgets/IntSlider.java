package io.github.longrope.kernel.widgets;

/**
 * A slider over whole numbers {@code min..max} in steps of {@code step}.
 *
 * <pre>{@code
 * IntSlider length = new IntSlider("original L", 1024, 16384, 4096).step(1024);
 * length.observe(v -> System.err.println("L = " + v));
 * }</pre>
 *
 * <p>It reports its value when the handle is released (not at every pixel of a drag), so that an
 * observer that redraws a chart runs once per move; {@link #continuousUpdate} changes that.
 */
public final class IntSlider extends ValueWidget<Integer> {
  public IntSlider(String description, int min, int max, int value) {
    super(
        "IntSliderModel",
        "IntSliderView",
        Integer.class,
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
            1,
            "orientation",
            "horizontal",
            "readout",
            true,
            "readout_format",
            "d",
            "continuous_update",
            false,
            "_range",
            false));
  }

  private static int check(int min, int max, int value) {
    if (min > max || value < min || value > max) {
      throw new IllegalArgumentException(
          "IntSlider: need min <= value <= max, got " + min + " <= " + value + " <= " + max);
    }
    return value;
  }

  /** The step between values. */
  public IntSlider step(int step) {
    if (step <= 0) {
      throw new IllegalArgumentException("IntSlider step must be positive, got " + step);
    }
    set("step", step);
    return this;
  }

  /** Whether the value is sent while the handle is dragged (default false: on release). */
  public IntSlider continuousUpdate(boolean continuous) {
    set("continuous_update", continuous);
    return this;
  }

  @Override
  protected Integer checked(Integer value) {
    return check((Integer) get("min"), (Integer) get("max"), value);
  }
}
