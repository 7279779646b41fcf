package io.github.longrope.kernel.widgets;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A button; {@link #onClick} actions run on the kernel's message thread when it is clicked (not
 * while a cell runs: the kernel reads front-end messages between cells). A long action belongs on
 * its own thread, as {@link StartStop} does.
 */
public final class Button extends Widget {
  private static final Logger LOG = Logger.getLogger(Button.class.getName());
  private final List<Runnable> actions = new CopyOnWriteArrayList<>();

  public Button(String description) {
    super(
        "ButtonModel",
        "ButtonView",
        keys(
            "description",
            description,
            "disabled",
            false,
            "button_style",
            "",
            "icon",
            "",
            "tooltip",
            ""));
  }

  /** Runs {@code action} on every click. */
  public Button onClick(Runnable action) {
    actions.add(action);
    return this;
  }

  /** Clicks the button from Java (what the front end's click does). */
  public void click() {
    for (Runnable a : actions) {
      try {
        a.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "button '" + get("description") + "': an action failed", e);
      }
    }
  }

  /** Greys the button out (or back). */
  public void disabled(boolean disabled) {
    set("disabled", disabled);
  }

  /** Whether the button is greyed out. */
  public boolean disabled() {
    return (Boolean) get("disabled");
  }

  /** One of "", primary, success, info, warning, danger. */
  public Button style(String buttonStyle) {
    set("button_style", buttonStyle);
    return this;
  }

  @Override
  protected void onCustom(JsonObject content) {
    if (content.has("event") && "click".equals(content.get("event").getAsString())) {
      click();
    }
  }

  @Override
  public String describe() {
    return "[" + get("description") + "]";
  }
}
