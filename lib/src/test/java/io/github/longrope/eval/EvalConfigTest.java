package io.github.longrope.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.data.Documents;
import io.github.longrope.data.InMemoryDocuments;
import io.github.longrope.eval.mc.McTask;
import io.github.longrope.io.FormatException;
import io.github.longrope.model.KvCache;
import io.github.longrope.model.Placement;
import io.github.longrope.model.Precision;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evaluation plan: defaults, validation errors that name the key, the example file. */
class EvalConfigTest {
  static final String MINIMAL =
      "{\"output\": \"out\", \"settings\": [{\"name\": \"a\", \"model\": \"m\"}],"
          + " \"passkey\": {\"lengths\": [256]}}";

  static String error(String json) {
    return assertThrows(FormatException.class, () -> EvalConfig.parse(json, "plan.json"))
        .getMessage();
  }

  @Test
  void defaultsAreFilledIn() {
    EvalConfig c = EvalConfig.parse(MINIMAL, "plan.json");
    assertEquals(10, c.passkey().depths());
    assertEquals(10, c.passkey().trials());
    assertEquals(42, c.passkey().seed());
    assertEquals("recompute", c.passkey().policy());
    assertEquals(11, c.passkey().grid().depths().size() + 1);
    assertEquals(KvCache.Policy.RECOMPUTE, c.passkey().grid().policy());
    assertEquals(PasskeyGrid.Sizing.OFFICIAL, c.passkey().grid().sizing());
    assertEquals(
        PasskeyGrid.Sizing.FIT,
        EvalConfig.parse(MINIMAL.replace("[256]}", "[256], \"sizing\": \"FIT\"}"), "p")
            .passkey()
            .grid()
            .sizing());
    assertEquals(List.of(), c.mc());
    assertNull(c.perplexity());
    assertNull(c.settings().get(0).ropeScaling());
    assertEquals(512, c.attentionChunk());
    EvalConfig again = EvalConfig.parse(c.toJson(), "resolved");
    assertEquals(c, again, "the resolved plan reads back to the same plan");
  }

  @Test
  void theExamplePlanParses() {
    EvalConfig c = EvalConfig.read(Path.of("../configs/eval/bundled.json"));
    assertEquals(5, c.settings().size());
    assertEquals(3, c.perplexity().datasets().size());
    assertEquals(McTask.HELLASWAG, c.mc().get(0).mcTask());
    assertEquals(10, c.boundary().trials());
    assertTrue(c.settings().get(4).ropeScaling().get("short_factor").isTextual());
  }

  @Test
  void errorsNameTheKey() {
    String typo = error(MINIMAL.replace("[256]}", "[256], \"trial\": 3}"));
    assertTrue(typo.contains("key 'passkey.trial': unknown key; known: ["), typo);
    assertTrue(
        error(MINIMAL.replace("\"lengths\"", "\"length\"")).contains("key 'passkey.lengths'"));
    assertTrue(
        error(MINIMAL.replace("[256]}", "[256], \"trials\": 0}")).contains("key 'passkey.trials'"));
    assertTrue(
        error(MINIMAL.replace("[256]}", "[256], \"policy\": \"stale\"}"))
            .contains("key 'passkey.policy'"));
    assertTrue(
        error(MINIMAL.replace("[256]}", "[256], \"sizing\": \"chars\"}"))
            .contains("key 'passkey.sizing': must be official or fit"));
    assertTrue(error(MINIMAL.replace("[256]", "[\"x\"]")).contains("passkey.lengths"));
    assertTrue(
        error(MINIMAL.replace("\"name\": \"a\"", "\"name\": \"a b\"")).contains("settings[].name"));
    assertTrue(
        error(MINIMAL.replace("\"passkey\": {\"lengths\": [256]}", "\"threads\": 2"))
            .contains("nothing to evaluate"));
    assertTrue(
        error(
                MINIMAL.replace(
                    "[{\"name\": \"a\", \"model\": \"m\"}]",
                    "[{\"name\": \"a\", \"model\": \"m\"}, {\"name\": \"a\", \"model\": \"n\"}]"))
            .contains("'a' is used twice"));
    assertTrue(
        error(
                MINIMAL.replace(
                    "\"passkey\": {\"lengths\": [256]}",
                    "\"mc\": [{\"task\": \"gsm8k\", \"data\": \"x\"}]"))
            .contains("key 'mc[].task': unknown task 'gsm8k'"));
    assertTrue(
        error(MINIMAL.replace("\"passkey\": {\"lengths\": [256]}", "\"boundary\": {\"margin\": 9}"))
            .contains("boundary.max_new_tokens"));
    assertTrue(error("{\"output\": \"o\",}").contains("plan.json"));
    assertTrue(
        error(MINIMAL.replace("{\"output\"", "{\"dtype\": \"bf16\", \"output\""))
            .contains("key 'dtype': dtype 'bf16' is not supported"));
    assertTrue(
        error(MINIMAL.replace("{\"output\"", "{\"device\": \"tpu\", \"output\""))
            .contains("key 'device'"));
  }

  @Test
  void dtypeAndDeviceAreOptionalKeys() {
    EvalConfig plain = EvalConfig.parse(MINIMAL, "plan.json");
    assertEquals(Precision.F32, plain.precision());
    assertEquals(Placement.AUTO, plain.placement());
    // absent keys stay absent in the resolved plan, so older plans' cell fingerprints still match
    assertTrue(!plain.toJson().contains("dtype") && !plain.toJson().contains("device"));
    EvalConfig half =
        EvalConfig.parse(
            MINIMAL.replace("{\"output\"", "{\"dtype\": \"fp16\", \"device\": \"cpu\", \"output\""),
            "plan.json");
    assertEquals(Precision.F16, half.precision());
    assertEquals(Placement.CPU, half.placement());
    assertTrue(half.toJson().contains("\"dtype\" : \"f16\""), half.toJson());
  }

  @Test
  void piecesSpreadTheHeldOutTextAndAreOptional() {
    String plan =
        MINIMAL.replace(
            "\"passkey\": {\"lengths\": [256]}",
            "\"perplexity\": {\"datasets\": [{\"name\": \"b\", \"data\": \"b.bin\"}],"
                + " \"lengths\": [4, 8], \"truncate\": true, \"pieces\": 3}");
    EvalConfig.PerplexitySpec p = EvalConfig.parse(plan, "plan.json").perplexity();
    assertEquals(3, p.pieces());
    int[] book = new int[80];
    for (int i = 0; i < book.length; i++) {
      book[i] = i;
    }
    Documents docs = p.documents(new InMemoryDocuments(List.of(book)));
    // pieces of the longest length (8): ten of them, three taken at 0, 3 and 6
    assertEquals(3, docs.size());
    assertEquals(48, docs.document(2)[0]);
    assertTrue(
        error(plan.replace("\"pieces\": 3", "\"pieces\": 0")).contains("key 'perplexity.pieces'"));
    EvalConfig plain = EvalConfig.parse(plan.replace(", \"pieces\": 3", ""), "plan.json");
    // absent stays absent in the resolved plan, so older plans' cell fingerprints still match
    assertNull(plain.perplexity().pieces());
    assertTrue(!plain.toJson().contains("pieces"), plain.toJson());
  }
}
