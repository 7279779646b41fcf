package io.github.longrope.kernel.display;

import java.lang.reflect.Array;

/**
 * Arrays as readable text ({@code [0.5, 0.25]} instead of {@code [D@1b6d3586}), nested arrays
 * included, with at most {@code maxElements} elements per level and a "… N more" marker.
 */
public final class ArrayText {
  private ArrayText() {}

  /** The array (any component type, any depth) as text; other objects via {@code toString}. */
  public static String of(Object value, int maxElements) {
    StringBuilder sb = new StringBuilder();
    append(sb, value, Math.max(1, maxElements));
    return sb.toString();
  }

  private static void append(StringBuilder sb, Object value, int max) {
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
}
