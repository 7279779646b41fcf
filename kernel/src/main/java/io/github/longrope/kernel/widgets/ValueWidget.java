package io.github.longrope.kernel.widgets;

import java.util.Map;
import java.util.function.Consumer;

/** A widget with a {@code value} that the front end changes and cells read. */
public abstract class ValueWidget<T> extends Widget {
  private final Class<T> type;

  protected ValueWidget(String model, String view, Class<T> type, Map<String, Object> keys) {
    super(model, view, keys);
    this.type = type;
  }

  /** The current value (the front end's last one). */
  public T value() {
    return type.cast(get("value"));
  }

  /** Sets the value here and in every view (observers are called). */
  public void value(T value) {
    set("value", checked(value));
  }

  /** The label shown next to the control. */
  public String description() {
    return (String) get("description");
  }

  /** Calls {@code observer} with every new value, from the front end or from {@link #value(T)}. */
  public void observe(Consumer<T> observer) {
    onChange(
        (key, v) -> {
          if (key.equals("value")) {
            observer.accept(type.cast(v));
          }
        });
  }

  /** Greys the control out (or back): the front end cannot change it then. */
  public void disabled(boolean disabled) {
    set("disabled", disabled);
  }

  /** Validates a value set from Java; returns it (or a normalised copy). */
  protected T checked(T value) {
    return value;
  }

  @Override
  public String describe() {
    String d = description();
    return (d == null || d.isEmpty() ? getClass().getSimpleName() : d) + " = " + value();
  }
}
