package io.github.longrope.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;

/**
 * Typed reads from one JSON object with errors naming the source and key. {@code path} prefixes the
 * key in messages (for example {@code rope_scaling.}).
 */
final class JsonFields {
  private final JsonNode node;
  private final String source;
  private final String path;

  JsonFields(JsonNode node, String source, String path) {
    this.node = node;
    this.source = source;
    this.path = path;
  }

  boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  JsonNode get(String key) {
    return node.get(key);
  }

  /** The key as messages spell it, with this object's path ({@code rope_scaling.factor}). */
  String name(String key) {
    return path + key;
  }

  Iterator<String> keys() {
    return node.fieldNames();
  }

  FormatException error(String key, String problem) {
    return new FormatException(source, "key '" + path + key + "'", problem);
  }

  double requiredDouble(String key) {
    if (!has(key)) {
      throw error(key, "required but missing");
    }
    return number(key);
  }

  double optionalDouble(String key, double fallback) {
    return has(key) ? number(key) : fallback;
  }

  private double number(String key) {
    JsonNode v = node.get(key);
    if (!v.isNumber()) {
      throw error(key, "must be a number, got " + Json.describe(v));
    }
    double d = v.asDouble();
    if (!Double.isFinite(d)) {
      throw error(key, "must be finite, got " + v);
    }
    return d;
  }

  int requiredInt(String key) {
    if (!has(key)) {
      throw error(key, "required but missing");
    }
    return positiveInt(key);
  }

  int positiveInt(String key) {
    double d = number(key);
    if (d != Math.rint(d) || d < 1 || d > Integer.MAX_VALUE) {
      throw error(key, "must be a positive integer, got " + node.get(key));
    }
    return (int) d;
  }

  int optionalNonNegativeInt(String key, int fallback) {
    if (!has(key)) {
      return fallback;
    }
    double d = number(key);
    if (d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE) {
      throw error(key, "must be an integer >= 0, got " + node.get(key));
    }
    return (int) d;
  }

  boolean optionalBoolean(String key, boolean fallback) {
    if (!has(key)) {
      return fallback;
    }
    JsonNode v = node.get(key);
    if (!v.isBoolean()) {
      throw error(key, "must be true or false, got " + Json.describe(v));
    }
    return v.booleanValue();
  }

  String optionalString(String key) {
    if (!has(key)) {
      return null;
    }
    JsonNode v = node.get(key);
    if (!v.isTextual()) {
      throw error(key, "must be a string, got " + Json.describe(v));
    }
    return v.textValue();
  }

  /** A list of numbers, or a list of equal-length lists (per-layer rows). */
  double[][] factorRows(String key) {
    if (!has(key)) {
      throw error(key, "required but missing");
    }
    JsonNode v = node.get(key);
    if (!v.isArray() || v.isEmpty()) {
      throw error(key, "must be a non-empty list of numbers, got " + Json.describe(v));
    }
    if (v.get(0).isArray()) {
      double[][] rows = new double[v.size()][];
      for (int r = 0; r < rows.length; r++) {
        if (!v.get(r).isArray()) {
          throw error(key, "row " + r + " is not a list");
        }
        rows[r] = numbers(key + "[" + r + "]", v.get(r));
      }
      return rows;
    }
    return new double[][] {numbers(key, v)};
  }

  private double[] numbers(String key, JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode e = array.get(i);
      if (!e.isNumber()) {
        throw error(key, "value " + i + " must be a number, got " + Json.describe(e));
      }
      out[i] = e.asDouble();
      if (!Double.isFinite(out[i]) || out[i] <= 0) {
        throw error(key, "value " + i + " must be a finite number > 0, got " + e);
      }
    }
    return out;
  }
}
