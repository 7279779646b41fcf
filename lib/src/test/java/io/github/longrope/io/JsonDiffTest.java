package io.github.longrope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonDiffTest {
  static com.fasterxml.jackson.databind.JsonNode json(String text) {
    return Json.parseObject(text, "test");
  }

  @Test
  void namesTheFirstChangedKeyByItsDottedPath() {
    var a = json("{\"search\": {\"seed\": 1, \"init\": [\"pi\", \"ntk\"]}, \"samples\": 2}");
    assertNull(
        JsonDiff.first(
            a,
            json("{\"search\": {\"seed\": 1.0, \"init\": [\"pi\", \"ntk\"]}, \"samples\": 2}"),
            ""),
        "1 = 1.0");
    assertEquals(
        "'search.seed' was 1, now 2",
        JsonDiff.first(
            a,
            json("{\"search\": {\"seed\": 2, \"init\": [\"pi\", \"ntk\"]}, \"samples\": 2}"),
            ""));
    assertEquals(
        "'search.init[1]' was \"ntk\", now \"yarn\"",
        JsonDiff.first(
            a,
            json("{\"search\": {\"seed\": 1, \"init\": [\"pi\", \"yarn\"]}, \"samples\": 2}"),
            ""));
    assertEquals(
        "'extra' was absent, now true",
        JsonDiff.first(
            a,
            json(
                "{\"search\": {\"seed\": 1, \"init\": [\"pi\", \"ntk\"]}, \"samples\": 2, \"extra\": true}"),
            ""));
    assertNull(
        JsonDiff.first(
            a,
            json("{\"search\": {\"seed\": 9, \"init\": [\"pi\", \"ntk\"]}, \"samples\": 2}"),
            "",
            Set.of("search.seed")),
        "a skipped key may differ");
  }
}
