package io.github.longrope.kernel.widgets;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A widget model: its state (the keys the front end's model reads), kept in step with the front end
 * over one comm, and listeners on its changes.
 *
 * <p>Wire format of the installed front end (jupyter-js-widgets {@value #MODULE_VERSION}): the
 * {@code comm_open} data is the whole state; the kernel sends {@code {"method": "update", "state":
 * {...}, "buffers": [...]}}; the front end sends {@code {"method": "backbone", "sync_data": {...}}}
 * when a control moves, {@code {"method": "request_state"}}, and {@code {"method": "custom",
 * "content": {...}}} (a button's click). The open data repeats the state under {@code state} with
 * empty {@code buffer_paths}: the form of widget protocol 2, which headless executors (nbclient)
 * read to save the widget state in the notebook. None of these widgets has binary state, so no
 * message carries buffers.
 */
public abstract class Widget {
  /** The front end's module and version range (ipywidgets 6.0's {@code __frontend_version__}). */
  public static final String MODULE = "jupyter-js-widgets";

  public static final String MODULE_VERSION = "~2.1.4";

  /** How the front end refers to another model in a state (a box's children). */
  public static final String REFERENCE = "IPY_MODEL_";

  private static final Logger LOG = Logger.getLogger(Widget.class.getName());
  private static final Gson GSON = new GsonBuilder().serializeNulls().create();

  private final Map<String, Object> state = new LinkedHashMap<>();
  private final List<BiConsumer<String, Object>> listeners = new CopyOnWriteArrayList<>();
  private final String id;

  /** Opens the model {@code model} with view {@code view} and the widget's own keys. */
  protected Widget(String model, String view, Map<String, Object> keys) {
    state.put("_model_module", MODULE);
    state.put("_model_module_version", MODULE_VERSION);
    state.put("_model_name", model);
    state.put("_view_module", MODULE);
    state.put("_view_module_version", MODULE_VERSION);
    state.put("_view_name", view);
    state.put("_dom_classes", List.of());
    state.put("msg_throttle", 1);
    state.putAll(keys);
    JsonObject open = stateJson(state);
    open.add("state", stateJson(state));
    open.add("buffer_paths", new JsonArray());
    this.id = Widgets.host().open(open, this::onMessage);
  }

  /** Key/value pairs in order ({@code null} values allowed), for subclasses' constructors. */
  protected static Map<String, Object> keys(Object... pairs) {
    if (pairs.length % 2 != 0) {
      throw new IllegalArgumentException("keys need key/value pairs");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  /** The model id (the comm id): what the front end and a saved notebook call this widget. */
  public final String id() {
    return id;
  }

  /** Shows this widget below the running cell (plus a text line for readers without widgets). */
  public final void display() {
    Widgets.host().showWidget(id, describe());
  }

  /** Closes the model: its views disappear from the page. */
  public final void close() {
    Widgets.host().close(id);
  }

  /** A one-line description (the text fallback of a displayed widget). */
  public abstract String describe();

  @Override
  public String toString() {
    return describe();
  }

  /** Calls {@code listener} with the key and new value after every change, from either side. */
  public final void onChange(BiConsumer<String, Object> listener) {
    listeners.add(listener);
  }

  /** The value of state key {@code key}. */
  protected final synchronized Object get(String key) {
    return state.get(key);
  }

  /** Sets state key {@code key}, sends it to the front end and tells the listeners. */
  protected final void set(String key, Object value) {
    synchronized (this) {
      state.put(key, value);
    }
    JsonObject update = new JsonObject();
    update.addProperty("method", "update");
    update.add("state", stateJson(Map.of(key, value)));
    update.add("buffers", new JsonArray());
    Widgets.host().send(id, update);
    changed(key, value);
  }

  /** A {@code custom} message from the front end (a button's click); ignored by default. */
  protected void onCustom(JsonObject content) {}

  private void onMessage(JsonObject data) {
    String method = data.has("method") ? data.get("method").getAsString() : "";
    switch (method) {
      case "backbone" -> {
        if (data.has("sync_data") && data.get("sync_data").isJsonObject()) {
          fromFrontEnd(data.getAsJsonObject("sync_data"));
        }
      }
      case "request_state" -> {
        JsonObject update = new JsonObject();
        update.addProperty("method", "update");
        synchronized (this) {
          update.add("state", stateJson(state));
        }
        update.add("buffers", new JsonArray());
        Widgets.host().send(id, update);
      }
      case "custom" -> {
        if (data.has("content") && data.get("content").isJsonObject()) {
          onCustom(data.getAsJsonObject("content"));
        }
      }
      default -> LOG.warning("widget " + id + ": unknown front-end method '" + method + "'");
    }
  }

  /** Takes the front end's values of the keys this model has (private keys stay the kernel's). */
  private void fromFrontEnd(JsonObject sync) {
    for (Map.Entry<String, JsonElement> e : sync.entrySet()) {
      String key = e.getKey();
      Object value;
      synchronized (this) {
        if (key.startsWith("_") || !state.containsKey(key)) {
          continue;
        }
        value = convert(state.get(key), e.getValue());
        state.put(key, value);
      }
      changed(key, value);
    }
  }

  private void changed(String key, Object value) {
    for (BiConsumer<String, Object> l : listeners) {
      try {
        l.accept(key, value);
      } catch (RuntimeException ex) {
        LOG.log(Level.WARNING, "widget " + id + ": a listener of '" + key + "' failed", ex);
      }
    }
  }

  /** The front end's JSON value in the Java type of the current value. */
  private static Object convert(Object current, JsonElement json) {
    if (json.isJsonNull()) {
      return null;
    }
    if (current instanceof Integer) {
      return (int) Math.round(json.getAsDouble());
    }
    if (current instanceof Double) {
      return json.getAsDouble();
    }
    if (current instanceof Boolean) {
      return json.getAsBoolean();
    }
    if (current instanceof String) {
      return json.getAsString();
    }
    return GSON.fromJson(json, Object.class);
  }

  private static JsonObject stateJson(Map<String, Object> values) {
    return GSON.toJsonTree(values).getAsJsonObject();
  }
}
