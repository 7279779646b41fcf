package io.github.longrope.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves the relative paths of a pipeline config tree against a base folder, before binding: the
 * one list of which keys are paths.
 */
final class PipelinePaths {
  private PipelinePaths() {}

  static final List<String> SEARCH_STAGES =
      List.of("search_long", "search_relative", "search_short");

  static void resolve(ObjectNode config, Path base) {
    text(config, "run", base);
    text(config, "model", base);
    if (config.get("data") instanceof ObjectNode d) {
      for (String k : List.of("search", "validation", "passkey", "eval")) {
        text(d, k, base);
      }
      if (d.get("train") instanceof ArrayNode train) {
        for (int i = 0; i < train.size(); i++) {
          if (train.get(i).isTextual()) {
            train.set(i, resolved(train.get(i), base));
          }
        }
      }
    }
    for (String stage : SEARCH_STAGES) {
      if (config.get(stage) instanceof ObjectNode s) {
        text(s, "data", base);
        text(s, "search", base);
        if (s.get("search") instanceof ObjectNode search) {
          text(search, "init_file", base);
        }
      }
    }
    if (config.get("evaluate") instanceof ObjectNode e) {
      text(e, "data", base);
    }
  }

  private static void text(ObjectNode o, String key, Path base) {
    JsonNode v = o.get(key);
    if (v != null && v.isTextual()) {
      o.set(key, resolved(v, base));
    }
  }

  private static JsonNode resolved(JsonNode v, Path base) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(
        base.resolve(v.textValue()).toString());
  }
}
