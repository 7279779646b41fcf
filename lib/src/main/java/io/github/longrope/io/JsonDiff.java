package io.github.longrope.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The first difference between two JSON trees, worded for a refusal ("'search.seed' was 1, now 2"):
 * a run directory compares the settings it was started with against the ones a resume gives, and
 * names the first that changed. Numbers compare by value, so {@code 1} equals {@code 1.0}.
 */
public final class JsonDiff {
  private JsonDiff() {}

  /** A description of the first difference between two JSON trees, or null when equal. */
  public static String first(JsonNode stored, JsonNode given, String path) {
    return first(stored, given, path, Set.of());
  }

  /** As {@link #first(JsonNode, JsonNode, String)}, skipping the dotted keys given. */
  public static String first(JsonNode stored, JsonNode given, String path, Set<String> skipped) {
    if (skipped.contains(path)) {
      return null;
    }
    if (stored == null || given == null) {
      return stored == given ? null : "'" + path + "' " + describe(stored, given);
    }
    if (stored.isNumber() && given.isNumber()) {
      return stored.asDouble() == given.asDouble()
          ? null
          : "'" + path + "' " + describe(stored, given);
    }
    if (stored.isObject() && given.isObject()) {
      for (Map.Entry<String, JsonNode> e : stored.properties()) {
        String d = first(e.getValue(), given.get(e.getKey()), join(path, e.getKey()), skipped);
        if (d != null) {
          return d;
        }
      }
      Iterator<String> names = given.fieldNames();
      while (names.hasNext()) {
        String k = names.next();
        if (!stored.has(k)) {
          return first(null, given.get(k), join(path, k), skipped);
        }
      }
      return null;
    }
    if (stored.isArray() && given.isArray() && stored.size() == given.size()) {
      for (int i = 0; i < stored.size(); i++) {
        String d = first(stored.get(i), given.get(i), path + "[" + i + "]", skipped);
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    return stored.equals(given) ? null : "'" + path + "' " + describe(stored, given);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String describe(JsonNode stored, JsonNode given) {
    return "was " + text(stored) + ", now " + text(given);
  }

  private static String text(JsonNode n) {
    if (n == null) {
      return "absent";
    }
    String t = n.toString();
    return t.length() > 60 ? t.substring(0, 57) + "..." : t;
  }
}
