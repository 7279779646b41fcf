package io.github.longrope.kernel.widgets;

import java.util.HashMap;
import java.util.Map;

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
public final class FloatSlider extends Slider<Double> {
  public FloatSlider(String description, double min, double max, double value) {
    super("FloatSlider", Double.class, description, min, max, value, 0.1, ".2f", sliderColor());
  }

  /** The front end's {@code slider_color} key: null, its default colour. */
  private static Map<String, Object> sliderColor() {
    Map<String, Object> m = new HashMap<>();
    m.put("slider_color", null);
    return m;
  }

  /** The step between values. */
  public FloatSlider step(double step) {
    setStep(step);
    return this;
  }

  /** The readout's format (a d3-format string such as {@code .0f} or {@code .3g}). */
  public FloatSlider readoutFormat(String format) {
    set("readout_format", format);
    return this;
  }

  /** Whether the value is sent while the handle is dragged (default false: on release). */
  public FloatSlider continuousUpdate(boolean continuous) {
    setContinuousUpdate(continuous);
    return this;
  }
}
