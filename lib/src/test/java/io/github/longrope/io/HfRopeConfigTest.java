package io.github.longrope.io;

import static io.github.longrope.rope.Vectors.assertPrinted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.rope.DynamicNtkScaling;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LinearScaling;
import io.github.longrope.rope.Llama3Scaling;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.NtkScaling;
import io.github.longrope.rope.RopeFrequencies;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.rope.RopeScaling.Regime;
import io.github.longrope.rope.YarnScaling;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** T13, failure modes F4–F6 (docs/method.md), and the error messages of bad configs. */
class HfRopeConfigTest {
  static Path resource(String name) {
    try {
      return Path.of(HfRopeConfigTest.class.getResource("/hf/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void t13Phi35MiniLongAndShort() {
    HfRopeConfig.Loaded phi = HfRopeConfig.read(resource("phi-3.5-mini-instruct.json"));
    assertEquals(96, phi.geometry().rotaryDim());
    assertEquals(4096, phi.originalLength());
    assertEquals(List.of(), phi.warnings(), "transformers v4 and v5 read Phi-3.5 alike");
    LongRopeScaling rope = assertInstanceOf(LongRopeScaling.class, phi.scaling());
    assertEquals(32.0, rope.scale());
    assertNotNull(rope.shortFactors(), "F5: both factor sets are kept");

    RopeFrequencies lng = rope.frequencies(phi.geometry(), 4097);
    RopeFrequencies shrt = rope.frequencies(phi.geometry(), 4096);
    assertEquals(Optional.of(Regime.LONG), lng.regime());
    assertEquals(Optional.of(Regime.SHORT), shrt.regime());
    assertPrinted(1.190238071, lng.attentionScale(), "T13 attention long");
    assertPrinted(1.190238071, shrt.attentionScale(), "T13 attention short");
    double[] li = lng.inverseFrequencies();
    double[] si = shrt.inverseFrequencies();
    assertPrinted(
        new double[] {0.9259258891, 0.7436073645, 0.5976246295, 0.4196576949},
        new double[] {li[0], li[1], li[2], li[3]},
        "T13 long inv[0..3]");
    assertPrinted(1.868488166e-06, li[47], "T13 long inv[47]");
    assertPrinted(
        new double[] {1, 0.8092198046, 0.6614486291, 0.5459624668},
        new double[] {si[0], si[1], si[2], si[3]},
        "T13 short inv[0..3]");
    assertPrinted(4.265943305e-05, si[47], "T13 short inv[47]");
  }

  @Test
  void legacySuPhi3AprilLoadsAsLongRope() {
    HfRopeConfig.Loaded phi = HfRopeConfig.read(resource("phi-3-128k-april-2024.json"));
    LongRopeScaling rope = assertInstanceOf(LongRopeScaling.class, phi.scaling());
    double[] shortRow = rope.shortFactors().row(0);
    assertEquals(48, shortRow.length);
    assertEquals(1.05, shortRow[0]);
    assertEquals(2.000000000000001, shortRow[13]);
    assertEquals(3.049999999999997, shortRow[47]);
    assertEquals(64.81001281738281, rope.factors().row(0)[47]);
    assertTrue(rope.factors().firstDecrease().isEmpty(), "April long factors are monotone");
  }

  @Test
  void f6PhiVectorsRoundTripUnchanged() {
    for (String name : List.of("phi-3.5-mini-instruct.json", "phi-3-128k-april-2024.json")) {
      HfRopeConfig.Loaded phi = HfRopeConfig.read(resource(name));
      ObjectNode json = HfRopeConfig.toJson(phi.scaling());
      RopeScaling back = HfRopeConfig.parseScaling(json, 48, "round trip");
      assertEquals(phi.scaling(), back, name);
      // the exported object is one HF understands: rope_type longrope, both lists, L and factor
      assertEquals("longrope", json.get("rope_type").asText());
      assertEquals(48, json.get("short_factor").size());
      assertEquals(4096, json.get("original_max_position_embeddings").asInt());
      assertEquals(32.0, json.get("factor").asDouble());
    }
  }

  @Test
  void everyVariantRoundTrips() {
    FactorTable perLayer = FactorTable.ofRows(new double[][] {{1, 1.5, 3, 4}, {1, 2, 3, 5}});
    List<RopeScaling> variants =
        List.of(
            new NoScaling(),
            new LinearScaling(4),
            new NtkScaling(3.5),
            new DynamicNtkScaling(2, 2048),
            YarnScaling.of(16, 4096),
            new YarnScaling(40, 4096, 32, 1, false, Double.NaN, 0.707, 1.0),
            new YarnScaling(8, 2048, 128, 2, true, 1.25, Double.NaN, Double.NaN),
            new Llama3Scaling(8, 1, 4, 8192),
            LongRopeScaling.of(FactorTable.of(1, 1.5, 3, 4), 4096, 32),
            LongRopeScaling.of(perLayer, 256, 8)
                .withStartTokens(4)
                .withMagnitude(new MagnitudeScaling.Yarn()),
            LongRopeScaling.of(FactorTable.of(1, 1.5, 3, 4), 4096, 32).withDynamic(true),
            LongRopeScaling.of(FactorTable.of(1, 1.5, 3, 4), 4096, 32)
                .withShortFactors(FactorTable.of(1, 1, 1.1, 1.2))
                .withMagnitude(new MagnitudeScaling.Constant(1.19))
                .withShortMagnitude(new MagnitudeScaling.Constant(1.0)),
            LongRopeScaling.of(FactorTable.of(1, 1.5, 3, 4), 4096, 32)
                .withShortFactors(FactorTable.of(1, 1, 1.1, 1.2))
                .withShortMagnitude(new MagnitudeScaling.Yarn()));
    for (RopeScaling v : variants) {
      ObjectNode json = HfRopeConfig.toJson(v);
      String text = Json.write(json);
      RopeScaling back = HfRopeConfig.parseScaling(Json.parseObject(text, "text"), 4, "round trip");
      assertEquals(v, back, text);
    }
  }

  @Test
  void f4MscaleKeysAndOriginalLengthPlacement() {
    String inside =
        "{\"hidden_size\":64,\"num_attention_heads\":8,\"max_position_embeddings\":1024,"
            + "\"rope_scaling\":{\"rope_type\":\"longrope\",\"original_max_position_embeddings\":256,"
            + "\"short_factor\":[1,1,1,1],\"long_factor\":[1,2,3,4],"
            + "\"short_mscale\":1.0,\"long_mscale\":1.25}}";
    HfRopeConfig.Loaded loaded = HfRopeConfig.parse(Json.parseObject(inside, "inside"), "inside");
    LongRopeScaling rope = (LongRopeScaling) loaded.scaling();
    assertEquals(256, rope.originalLength());
    assertEquals(4.0, rope.scale(), "factor = max_position_embeddings / original");
    assertEquals(1.0, rope.attentionScale(256));
    assertEquals(1.25, rope.attentionScale(257));

    String v5 =
        "{\"head_dim\":8,\"max_position_embeddings\":1024,"
            + "\"rope_parameters\":{\"rope_type\":\"longrope\",\"rope_theta\":500000.0,\"factor\":4.0,"
            + "\"original_max_position_embeddings\":256,"
            + "\"short_factor\":[1,1,1,1],\"long_factor\":[1,2,3,4]}}";
    HfRopeConfig.Loaded five = HfRopeConfig.parse(Json.parseObject(v5, "v5"), "v5");
    assertEquals(500000.0, five.geometry().base());
    assertEquals(256, five.originalLength());
  }

  @Test
  void identicalShortAndLongLoadAsOneSet() {
    String same =
        "{\"head_dim\":8,\"max_position_embeddings\":1024,\"original_max_position_embeddings\":256,"
            + "\"rope_scaling\":{\"type\":\"longrope\",\"short_factor\":[1,2,3,4],\"long_factor\":[1,2,3,4]}}";
    LongRopeScaling rope =
        (LongRopeScaling) HfRopeConfig.parse(Json.parseObject(same, "same"), "same").scaling();
    assertNull(rope.shortFactors());
    assertEquals(Optional.empty(), rope.regime(100));
  }

  @Test
  void partialRotaryFactorShrinksTheRotaryDimension() {
    String phi4 =
        "{\"hidden_size\":3072,\"num_attention_heads\":24,\"partial_rotary_factor\":0.75,"
            + "\"max_position_embeddings\":131072,\"original_max_position_embeddings\":4096,"
            + "\"rope_theta\":10000.0,\"rope_scaling\":{\"type\":\"longrope\","
            + "\"short_factor\":"
            + ones(48)
            + ",\"long_factor\":"
            + ones(48)
            + "}}";
    HfRopeConfig.Loaded loaded = HfRopeConfig.parse(Json.parseObject(phi4, "phi4"), "phi4");
    assertEquals(96, loaded.geometry().rotaryDim());
  }

  static String ones(int n) {
    return "[" + "1.0,".repeat(n - 1) + "1.0]";
  }

  @Test
  void badConfigsGetMessagesNamingKeyAndProblem() {
    String head = "{\"head_dim\":8,\"max_position_embeddings\":1024,";
    assertError(
        head + "\"rope_scaling\":{\"rope_type\":\"warp\",\"factor\":2}}",
        "rope_scaling.rope_type",
        "unknown RoPE type 'warp'");
    assertError(
        head + "\"rope_scaling\":{\"rope_type\":\"linear\"}}", "rope_scaling.factor", "missing");
    assertError(
        head + "\"rope_scaling\":{\"rope_type\":\"linear\",\"factor\":\"two\"}}",
        "rope_scaling.factor",
        "must be a number");
    assertError(
        head + "\"rope_scaling\":{\"rope_type\":\"linear\",\"factor\":NaN}}",
        "rope_scaling.factor",
        "finite");
    assertError(
        head
            + "\"rope_scaling\":{\"rope_type\":\"longrope\",\"short_factor\":[1,1,1,1],\"long_factor\":[1,2,3]}}",
        "long_factor",
        "expected d/2 = 4");
    // without L anywhere, transformers takes max_position_embeddings (HfRulesTest); with neither:
    assertError(
        "{\"head_dim\":8,\"rope_scaling\":{\"rope_type\":\"longrope\","
            + "\"short_factor\":[1,1,1,1],\"long_factor\":[1,2,3,4]}}",
        "original_max_position_embeddings",
        "required: neither it");
    assertError(
        head
            + "\"original_max_position_embeddings\":256,\"rope_scaling\":{\"rope_type\":\"longrope\","
            + "\"short_factor\":[1,1,1,1],\"long_factor\":[1,2,0,4]}}",
        "long_factor",
        "value 2 must be a finite number > 0");
    assertError(
        head
            + "\"original_max_position_embeddings\":256,\"rope_scaling\":{\"rope_type\":\"longrope\","
            + "\"short_factor\":[1,1,1,1],\"long_factor\":[1,2,-3,4]}}",
        "long_factor",
        "> 0");
    assertError(
        head + "\"rope_scaling\":{\"rope_type\":\"longrope\",\"long_factor\":[1,2,3,4]}}",
        "short_factor",
        "missing");
    // (a RoPE object without a type is 'default' in a whole config, as in transformers v5, and an
    // error in a bare object: HfRulesTest)
    assertError(
        "{\"hidden_size\":100,\"num_attention_heads\":3,\"rope_scaling\":null}",
        "hidden_size",
        "not divisible");
    assertError(
        head
            + "\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8,\"low_freq_factor\":4,"
            + "\"high_freq_factor\":1,\"original_max_position_embeddings\":256}}",
        "rope_type",
        "high_freq_factor");
    FormatException malformed =
        assertThrows(FormatException.class, () -> Json.parseObject("{\"a\": [1,}", "broken.json"));
    assertTrue(malformed.getMessage().startsWith("broken.json: line 1"), malformed.getMessage());
  }

  static void assertError(String json, String key, String problem) {
    FormatException e =
        assertThrows(
            FormatException.class,
            () -> HfRopeConfig.parse(Json.parseObject(json, "cfg.json"), "cfg.json"));
    String m = e.getMessage();
    assertTrue(m.startsWith("cfg.json"), m);
    assertTrue(m.contains(key), "message should name " + key + ": " + m);
    assertTrue(m.contains(problem), "message should say " + problem + ": " + m);
  }

  @Test
  void unknownKeysWarn() {
    String cfg =
        "{\"head_dim\":8,\"rope_scaling\":{\"rope_type\":\"linear\",\"factor\":2,\"fudge\":1}}";
    HfRopeConfig.Loaded loaded = HfRopeConfig.parse(Json.parseObject(cfg, "c"), "c");
    assertTrue(
        loaded.warnings().stream().anyMatch(w -> w.contains("fudge")),
        loaded.warnings().toString());
  }
}
