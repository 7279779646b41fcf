package io.github.longrope.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The quickstart config is read by the rules of every run spec: the pipeline's key names, the first
 * release's flat keys still accepted with a warning, errors that name the key.
 */
class QuickstartConfigTest {
  private static final String SEARCH =
      "\"search\": {\"version\": 1, \"population\": 4, \"iterations\": 1, \"mutations\": 2,"
          + " \"crossovers\": 1, \"parents\": 2, \"init\": [\"pi\"]}";

  private static final String CURRENT =
      "{\"version\": 1, \"target_length\": 1024, "
          + SEARCH
          + ", \"samples\": 3, \"evaluate\": {\"split\": \"eval-prose\", \"lengths\": [256, 1024],"
          + " \"samples\": 2, \"methods\": [\"none\", \"yarn\"]}, \"export\": {\"dtype\": \"f32\"}}";

  private static final String LEGACY =
      "{\"version\": 1, \"target_length\": 1024, "
          + SEARCH
          + ", \"search_samples\": 3, \"eval_split\": \"eval-prose\", \"eval_lengths\": [256, 1024],"
          + " \"eval_pieces\": 2, \"baselines\": [\"none\", \"yarn\"], \"export_dtype\": \"f32\"}";

  @Test
  void theCurrentKeysAreRead() {
    QuickstartConfig c = QuickstartConfig.parse(CURRENT, "q.json");
    assertEquals(1024, c.targetLength());
    assertEquals(3, c.samples());
    assertEquals(
        new QuickstartConfig.Evaluate("eval-prose", List.of(256, 1024), 2, List.of("none", "yarn")),
        c.evaluate());
    assertEquals("f32", c.exportDtype());
    assertEquals(Path.of("models/bundled"), c.model());
    assertEquals(List.of(), c.warnings());
  }

  @Test
  void theFirstReleasesFlatKeysGiveTheSameConfigWithAWarningEach() {
    QuickstartConfig legacy = QuickstartConfig.parse(LEGACY, "q.json");
    QuickstartConfig current = QuickstartConfig.parse(CURRENT, "q.json");
    assertEquals(current.withOutput(legacy.output()).evaluate(), legacy.evaluate());
    assertEquals(current.samples(), legacy.samples());
    assertEquals(current.exportDtype(), legacy.exportDtype());
    assertEquals(6, legacy.warnings().size(), legacy.warnings().toString());
    assertTrue(
        legacy.warnings().contains("q.json: key 'baselines' is now 'evaluate.methods'"),
        legacy.warnings().toString());
  }

  @Test
  void errorsNameTheFileAndTheKey() {
    assertError(CURRENT.replace("\"samples\": 3", "\"samples\": 0"), "key 'samples'");
    assertError(CURRENT.replace("\"samples\": 3", "\"samples\": 2.5"), "key 'samples'");
    assertError(CURRENT.replace("[256, 1024]", "[1024, 256]"), "evaluate.lengths");
    assertError(CURRENT.replace("\"yarn\"]", "\"rerope\"]"), "unknown method 'rerope'");
    assertError(CURRENT.replace("\"f32\"", "\"bf16\""), "export.dtype");
    assertError(CURRENT.replace("\"population\": 4", "\"population\": 6.7"), "population");
    assertError(CURRENT.replace("\"target_length\"", "\"target_len\""), "unknown key");
    assertError(
        CURRENT.replace("\"samples\": 3,", "\"samples\": 3, \"search_samples\": 3,"),
        "given twice");
  }

  private static void assertError(String json, String expected) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> QuickstartConfig.parse(json, "q.json"));
    assertTrue(e.getMessage().startsWith("q.json"), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
