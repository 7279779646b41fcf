package io.github.longrope.kernel.widgets;

import java.util.Map;

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
public final class IntSlider extends Slider<Integer> {
  public IntSlider(String description, int min, int max, int value) {
    super("IntSlider", Integer.class, description, min, max, value, 1, "d", Map.of());
  }

  /** The step between values. */
  public IntSlider step(int step) {
    setStep(step);
    return this;
  }

  /** Whether the value is sent while the handle is dragged (default false: on release). */
  public IntSlider continuousUpdate(boolean continuous) {
    setContinuousUpdate(continuous);
    return this;
  }
}
