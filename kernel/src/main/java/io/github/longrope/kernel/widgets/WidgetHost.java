package io.github.longrope.kernel.widgets;

import com.google.gson.JsonObject;
import java.util.function.Consumer;

/** What widgets need from the kernel: comms to the front end and displays (or a test double). */
public interface WidgetHost {
  /**
   * Opens a comm on the widget target with the model's state and returns its id (the model id);
   * {@code onMessage} receives the front end's messages on it.
   */
  String open(JsonObject state, Consumer<JsonObject> onMessage);

  /** Sends {@code data} on comm {@code id}. */
  void send(String id, JsonObject data);

  /** Closes comm {@code id}. */
  void close(String id);

  /** Shows the view of model {@code id} as an output of the running cell, with a text fallback. */
  void showWidget(String id, String text);

  /** Replaces the text fallback of every view of model {@code id} shown by {@link #showWidget}. */
  void updateWidget(String id, String text);

  /** Shows {@code value} rendered (PNG chart, HTML table, text) and returns its display id. */
  String display(Object value);

  /** Redraws the output {@code displayId} with {@code value}; also after the cell has finished. */
  void updateDisplay(String displayId, Object value);
}
