package io.github.longrope.kernel.widgets;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code interact}: controls above an output that is redrawn whenever one of them moves.
 *
 * <pre>{@code
 * FloatSlider scale = new FloatSlider("scale s", 2, 32, 8).step(1);
 * IntSlider length = new IntSlider("original L", 1024, 8192, 4096).step(1024);
 * Controls.interact(() -> lambdaChart(scale.value(), length.value()), scale, length);
 * }</pre>
 *
 * <p>The output is an ordinary display (a chart as PNG, a table as HTML) updated in place, so the
 * saved notebook keeps the last drawing even where widgets are not shown, and a notebook run
 * headless (no front end, nobody moves a control) simply shows the first drawing. The controls'
 * text line (what a reader without widgets sees) follows their values too. A redraw that fails
 * shows the error's message in place of the output.
 */
public final class Controls {
  private static final Logger LOG = Logger.getLogger(Controls.class.getName());

  private Controls() {}

  /** A shown interaction: the box of controls and the ids of the outputs it redraws. */
  public record Interaction(VBox controls, List<String> outputIds, List<Supplier<?>> views) {
    public Interaction {
      outputIds = List.copyOf(outputIds);
      views = List.copyOf(views);
    }

    /** Draws the outputs again (e.g. after a change the controls do not see). */
    public void redraw() {
      for (int i = 0; i < views.size(); i++) {
        Widgets.host().updateDisplay(outputIds.get(i), drawn(views.get(i)));
      }
    }
  }

  /**
   * Shows {@code controls} in a column, then {@code view}'s drawing below them, and draws again
   * after every change of a control.
   */
  public static Interaction interact(Supplier<?> view, Widget... controls) {
    return interact(List.of(view), controls);
  }

  /** {@link #interact(Supplier, Widget...)} with several outputs, one below the other. */
  public static Interaction interact(List<Supplier<?>> views, Widget... controls) {
    if (controls.length == 0 || views.isEmpty()) {
      throw new IllegalArgumentException("interact needs at least one view and one control");
    }
    VBox box = new VBox(controls);
    box.display();
    List<String> ids = new ArrayList<>();
    for (Supplier<?> view : views) {
      ids.add(Widgets.host().display(view.get()));
    }
    Interaction shown = new Interaction(box, ids, views);
    for (Widget c : controls) {
      c.onChange(
          (key, value) -> {
            if (key.equals("value")) {
              Widgets.host().updateWidget(box.id(), box.describe());
              shown.redraw();
            }
          });
    }
    return shown;
  }

  private static Object drawn(Supplier<?> view) {
    try {
      return view.get();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "interact view failed", e);
      return "could not draw: " + e;
    }
  }
}
