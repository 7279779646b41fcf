package io.github.longrope.kernel.display;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;

/**
 * Arrays as readable text ({@code [0.5, 0.25]} instead of {@code [D@1b6d3586}), nested arrays
 * included, with at most {@code maxElements} elements per level and a "… N more" marker; large
 * collections and maps (more than {@code maxElements}) are cut the same way instead of sending
 * their whole {@code toString()} (100,000 integers would be about 690 KB).
 */
public final class ArrayText {
  private ArrayText() {}

  /** Whether {@link #of} cuts {@code value}: an array, or a collection or map above the limit. */
  public static boolean applies(Object value, int maxElements) {
    return value != null
        && (value.getClass().isArray()
            || value instanceof Collection<?> c && c.size() > maxElements
            || value instanceof Map<?, ?> m && m.size() > maxElements);
  }

  /** The array (any component type, any depth) as text; other objects via {@code toString}. */
  public static String of(Object value, int maxElements) {
    StringBuilder sb = new StringBuilder();
    append(sb, value, Math.max(1, maxElements));
    return sb.toString();
  }

  private static void append(StringBuilder sb, Object value, int max) {
    if (value instanceof Map<?, ?> map && map.size() > max) {
      appendAll(sb, map.entrySet(), map.size(), max, '{', '}', map.getClass());
      return;
    }
    if (value instanceof Collection<?> c && c.size() > max) {
      appendAll(sb, c, c.size(), max, '[', ']', c.getClass());
      return;
    }
    if (value == null || !value.getClass().isArray()) {
      sb.append(value);
      return;
    }
    int n = Array.getLength(value);
    int shown = Math.min(n, max);
    sb.append('[');
    for (int i = 0; i < shown; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      append(sb, Array.get(value, i), max);
    }
    if (shown < n) {
      sb.append(", … ").append(n - shown).append(" more");
    }
    sb.append(']');
  }

  private static void appendAll(
      StringBuilder sb, Iterable<?> items, int n, int max, char open, char close, Class<?> type) {
    sb.append(open);
    int i = 0;
    for (Object item : items) {
      if (i == max) {
        break;
      }
      if (i++ > 0) {
        sb.append(", ");
      }
      if (item instanceof Map.Entry<?, ?> e) {
        append(sb, e.getKey(), max);
        sb.append('=');
        append(sb, e.getValue(), max);
      } else {
        append(sb, item, max);
      }
    }
    sb.append(", … ")
        .append(n - i)
        .append(" more")
        .append(close)
        .append(" (")
        .append(type.getSimpleName())
        .append(", ")
        .append(n)
        .append(" elements)");
  }
}
