package io.github.longrope.io;

import static io.github.longrope.rope.Vectors.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.rope.DynamicNtkScaling;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.Llama3Scaling;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.rope.RopeScaling.Regime;
import io.github.longrope.rope.YarnScaling;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Where transformers reads each RoPE key (docs/method.md, "HF config.json keys"): the v5 rules as
 * cases of our own, the four disagreements found against transformers v4.57.6 and v5.15.0, and
 * exports that both versions read alike.
 */
class HfRulesTest {
  static HfRopeConfig.Loaded parse(String json) {
    return HfRopeConfig.parse(Json.parseObject(json, "cfg"), "cfg");
  }

  static boolean warned(HfRopeConfig.Loaded loaded, String... parts) {
    return loaded.warnings().stream().anyMatch(w -> List.of(parts).stream().allMatch(w::contains));
  }

  static void assertWarned(HfRopeConfig.Loaded loaded, String... parts) {
    assertTrue(warned(loaded, parts), "expected a warning with " + List.of(parts) + ": " + loaded);
  }

  // ---- the four disagreements ------------------------------------------------------------------

  /**
   * 1. Dynamic NTK: transformers ignores original_max_position_embeddings (inside or at the top)
   * and takes L = max_position_embeddings; seq 8192 ≤ 16384 is therefore unscaled.
   */
  @Test
  void dynamicTakesLFromMaxPositionEmbeddings() {
    String inner =
        "{\"head_dim\":64,\"max_position_embeddings\":16384,\"rope_scaling\":"
            + "{\"rope_type\":\"dynamic\",\"factor\":4,\"original_max_position_embeddings\":4096}}";
    String atTop =
        "{\"head_dim\":64,\"max_position_embeddings\":16384,\"original_max_position_embeddings\":"
            + "4096,\"rope_scaling\":{\"rope_type\":\"dynamic\",\"factor\":4}}";
    for (String json : List.of(inner, atTop)) {
      HfRopeConfig.Loaded loaded = parse(json);
      DynamicNtkScaling d = assertInstanceOf(DynamicNtkScaling.class, loaded.scaling());
      assertEquals(16384, d.originalLength());
      assertEquals(16384, loaded.originalLength());
      double[] at8192 = d.inverseFrequencies(loaded.geometry(), 8192, 0);
      // unscaled: 10000^(-62/64); L = 4096 gave 2.6670e-5 (base·5^(64/62))
      assertClose(1.3335214321633240e-4, at8192[31], 1e-12, "last inv_freq at 8192");
      assertClose(Math.pow(10000, -62.0 / 64), at8192[31], 1e-15, "unscaled at 8192");
      // past max_position_embeddings it scales: 32768 = 2·16384 gives the old 8192 value
      assertClose(
          2.6670428643266480e-5,
          d.inverseFrequencies(loaded.geometry(), 32768, 0)[31],
          1e-12,
          "last inv_freq at 32768");
      assertWarned(loaded, "dynamic", "4096", "is ignored", "16384");
    }
  }

  /**
   * 2. longrope with L = 256 at the top and 512 inside: both transformers versions read the top; at
   * 300 tokens the long factors apply, with s = 2048 / 256 = 8.
   */
  @Test
  void longropeTopLevelOriginalBeatsTheInnerOne() {
    HfRopeConfig.Loaded loaded =
        parse(
            "{\"head_dim\":8,\"max_position_embeddings\":2048,\"original_max_position_embeddings\":256,"
                + "\"rope_scaling\":{\"rope_type\":\"longrope\",\"original_max_position_embeddings\":512,"
                + "\"short_factor\":[1,1,1,1],\"long_factor\":[1,2,4,8]}}");
    LongRopeScaling rope = assertInstanceOf(LongRopeScaling.class, loaded.scaling());
    assertEquals(256, rope.originalLength());
    assertEquals(8.0, rope.scale());
    assertEquals(Optional.of(Regime.LONG), rope.regime(300));
    // inner L = 512 gave the short regime and 1.105542
    assertClose(1.172603940, rope.attentionScale(300), 1e-9, "attention at 300");
    assertClose(Math.sqrt(1 + Math.log(8) / Math.log(256)), rope.attentionScale(300), 1e-15, "su");
    assertWarned(loaded, "original_max_position_embeddings = 512 is ignored", "256");
    assertTrue(!warned(loaded, "v4.57 reads"), loaded.warnings().toString());
  }

  /** 3. yarn and llama3 with different top-level and inner L: v5 takes the top, v4 the inner. */
  @Test
  void yarnAndLlama3TakeTheTopLevelOriginalWithAWarning() {
    String head =
        "{\"head_dim\":64,\"max_position_embeddings\":16384,\"original_max_position_embeddings\":4096,";
    HfRopeConfig.Loaded yarn =
        parse(
            head
                + "\"rope_scaling\":{\"rope_type\":\"yarn\",\"factor\":4,"
                + "\"original_max_position_embeddings\":2048}}");
    YarnScaling y = assertInstanceOf(YarnScaling.class, yarn.scaling());
    assertEquals(4096, y.originalLength());
    assertEquals(4.0, y.factor());
    assertWarned(
        yarn, "original_max_position_embeddings", "v5 reads L = 4096", "v4.57 reads L = 2048");

    HfRopeConfig.Loaded llama3 =
        parse(
            head
                + "\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":4,\"low_freq_factor\":1,"
                + "\"high_freq_factor\":4,\"original_max_position_embeddings\":2048}}");
    assertEquals(4096, assertInstanceOf(Llama3Scaling.class, llama3.scaling()).originalLength());
    assertWarned(llama3, "v5 reads L = 4096", "v4.57 reads L = 2048");

    // L only at the top level: v5 accepts it (we used to refuse), v4 requires it inside
    HfRopeConfig.Loaded topOnly =
        parse(
            head
                + "\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":4,\"low_freq_factor\":1,"
                + "\"high_freq_factor\":4}}");
    assertEquals(new Llama3Scaling(4, 1, 4, 4096), topOnly.scaling());
    assertEquals(4096, topOnly.originalLength());
    assertWarned(topOnly, "v5 reads L = 4096 (the top level)", "refuses");
  }

  /**
   * 4. Our old export layout (factor and L only inside rope_scaling): v5 reads it as we do; v4
   * takes L = max_position_embeddings, so short factors up to 2048 and attention 1.128152.
   */
  @Test
  void theOldExportLayoutIsReadDifferentlyByV4() {
    String old =
        "{\"model_type\":\"llama\",\"head_dim\":8,\"max_position_embeddings\":2048,"
            + "\"rope_scaling\":{\"rope_type\":\"longrope\",\"factor\":8.0,"
            + "\"original_max_position_embeddings\":256,"
            + "\"short_factor\":[1,1,1,1],\"long_factor\":[1,2,4,8]}}";
    HfRopeConfig.Loaded loaded = parse(old);
    LongRopeScaling rope = assertInstanceOf(LongRopeScaling.class, loaded.scaling());
    assertEquals(256, rope.originalLength());
    assertClose(1.172603940, rope.attentionScale(2048), 1e-9, "v5 attention");
    assertWarned(loaded, "v5 reads L = 256", "v4.57 reads L = 2048 (max_position_embeddings)");
    assertWarned(loaded, "attention scale", "1.172604", "1.128152");

    V4 v4 = v4(Json.parseObject(old, "old"));
    assertEquals(2048, v4.original());
    assertClose(1.128152149, v4.attention(), 1e-9, "v4 attention");
  }

  // ---- exports
  // -----------------------------------------------------------------------------------

  static ModelConfig model(String type, RopeScaling scaling, int maxPos) {
    return ModelConfig.builder()
        .modelType(type)
        .shape(50, 32, 48, 2)
        .heads(4, 2, 8)
        .fused(type.equals("phi3"))
        .maxPositionEmbeddings(maxPos)
        .originalLength(scaling.originalLengthOr(maxPos))
        .rope(new RopeGeometry(8, 10000))
        .ropeScaling(scaling)
        .bosTokenId(1)
        .eosTokenIds(List.of(2))
        .build();
  }

  /** Every exported RoPE setting reads the same under the v5 rules (ours) and v4's (below). */
  @Test
  void exportsReadTheSameUnderV4AndV5() {
    FactorTable lng = FactorTable.of(1, 2, 4, 8);
    FactorTable shrt = FactorTable.of(1, 1, 1.1, 1.2);
    LongRopeScaling pair = LongRopeScaling.of(lng, 256, 8).withShortFactors(shrt);
    List<ModelConfig> exports =
        List.of(
            model("llama", pair, 2048),
            model("llama", pair, 4096), // max_position_embeddings ≠ s·L
            model("llama", LongRopeScaling.of(lng, 256, 7.3), 1869),
            model(
                "llama",
                LongRopeScaling.of(lng, 256, 8)
                    .withStartTokens(4)
                    .withMagnitude(new MagnitudeScaling.Yarn()),
                2048),
            model("llama", YarnScaling.of(4, 256), 1024),
            model("llama", new Llama3Scaling(8, 1, 4, 256), 2048),
            model("llama", new DynamicNtkScaling(4, 256), 1024),
            model("mistral", YarnScaling.of(4, 256), 2048),
            model("phi3", pair, 2048),
            model("phi3", LongRopeScaling.of(lng, 256, 8), 2048),
            model("qwen2", pair, 2048));
    for (ModelConfig c : exports) {
      ObjectNode json = HfModelConfig.toJson(c);
      String label = c.modelType() + " " + Json.write(json.get("rope_scaling"));
      HfRopeConfig.Loaded v5 = HfRopeConfig.parse(json, label);
      assertEquals(c.ropeScaling(), v5.scaling(), label);
      assertTrue(!warned(v5, "v4.57"), label + ": " + v5.warnings());
      V4 v4 = v4(json);
      assertNull(v4.refused(), label);
      RopeScaling s = v5.scaling();
      int original = s.originalLengthOr(0);
      assertEquals(original, v4.original(), label + ": L");
      assertEquals(
          original,
          json.get(HfRopeConfig.ORIGINAL) == null
              ? json.get("max_position_embeddings").asInt()
              : json.get(HfRopeConfig.ORIGINAL).asInt(),
          label + ": L written where v5 looks");
      assertClose(s.attentionScale(original + 1), v4.attention(), 1e-12, label + ": attention");
      if (s instanceof YarnScaling y) {
        assertEquals(y.factor(), v4.factor(), label);
      } else if (s instanceof Llama3Scaling l) {
        assertEquals(l.factor(), v4.factor(), label);
      } else if (s instanceof DynamicNtkScaling d) {
        assertEquals(d.factor(), v4.factor(), label);
        assertEquals(256, json.get("max_position_embeddings").asInt(), label);
      }
    }
    // Phi-3's own layout where it fits: v4's Phi3Config accepts nothing else
    ObjectNode phi = HfModelConfig.toJson(model("phi3", pair, 2048));
    Set<String> keys = new HashSet<>();
    phi.get("rope_scaling").fieldNames().forEachRemaining(keys::add);
    assertEquals(Set.of("type", "short_factor", "long_factor"), keys);
    assertEquals(256, phi.get(HfRopeConfig.ORIGINAL).asInt());
    // and where v4's factor (max_position_embeddings / L) is not s, attention_factor is spelled
    ObjectNode wide = HfModelConfig.toJson(model("llama", pair, 4096));
    assertClose(
        Math.sqrt(1 + Math.log(8) / Math.log(256)),
        wide.get("rope_scaling").get("attention_factor").asDouble(),
        1e-15,
        "explicit attention_factor");
  }

  /**
   * transformers v4.57's reading, written from its rules independently of the parser: L, s and the
   * attention scale (long regime), or why it refuses the config.
   */
  record V4(String type, int original, double factor, double attention, String refused) {
    static V4 refuse(String why) {
      return new V4(null, 0, Double.NaN, Double.NaN, why);
    }
  }

  static V4 v4(JsonNode config) {
    JsonNode rs = config.get("rope_scaling");
    int max = config.get("max_position_embeddings").asInt();
    if (rs == null || rs.isNull()) {
      return new V4("default", max, 1, 1, null);
    }
    boolean phi3 = config.path("model_type").asText().equals("phi3");
    JsonNode top = config.get(HfRopeConfig.ORIGINAL);
    Integer topL = top != null ? Integer.valueOf(top.asInt()) : phi3 ? Integer.valueOf(4096) : null;
    if (phi3) {
      Set<String> keys = new HashSet<>();
      rs.fieldNames().forEachRemaining(keys::add);
      if (!keys.equals(Set.of("type", "short_factor", "long_factor"))) {
        return V4.refuse("Phi3Config takes exactly type, short_factor, long_factor");
      }
    }
    String type = rs.has("type") ? rs.get("type").asText() : rs.path("rope_type").asText(null);
    if (type == null) {
      return V4.refuse("no type");
    }
    if (type.equals("su") || phi3 && type.equals("yarn")) {
      type = "longrope";
    }
    double f = rs.path("factor").asDouble(Double.NaN);
    JsonNode af = rs.get("attention_factor");
    switch (type) {
      case "dynamic":
        return new V4(type, max, f, 1, null);
      case "llama3":
        if (!rs.has(HfRopeConfig.ORIGINAL)) {
          return V4.refuse("llama3 needs original_max_position_embeddings in rope_scaling");
        }
        return new V4(type, rs.get(HfRopeConfig.ORIGINAL).asInt(), f, 1, null);
      case "yarn":
        {
          int l = rs.has(HfRopeConfig.ORIGINAL) ? rs.get(HfRopeConfig.ORIGINAL).asInt() : max;
          double m = rs.path("mscale").asDouble(0);
          double mAll = rs.path("mscale_all_dim").asDouble(0);
          double a =
              af != null
                  ? af.asDouble()
                  : m != 0 && mAll != 0 ? temp(f, m) / temp(f, mAll) : temp(f, 1);
          return new V4(type, l, f, a, null);
        }
      case "longrope":
        {
          int l = topL != null ? topL : max;
          double s = topL != null ? (double) max / topL : f;
          if (af == null && Double.isNaN(s)) {
            return V4.refuse("longrope without factor or top-level L");
          }
          double a =
              af != null ? af.asDouble() : s <= 1 ? 1 : Math.sqrt(1 + Math.log(s) / Math.log(l));
          return new V4(type, l, s, a, null);
        }
      default:
        return new V4(type, max, f, 1, null);
    }
  }

  static double temp(double s, double m) {
    return s <= 1 ? 1 : 0.1 * m * Math.log(s) + 1;
  }

  // ---- the other precedence rules
  // ------------------------------------------------------------------

  @Test
  void ropeScalingBeatsRopeParametersAndV4ReadsOnlyRopeScaling() {
    HfRopeConfig.Loaded both =
        parse(
            "{\"head_dim\":8,\"rope_theta\":10000,"
                + "\"rope_scaling\":{\"rope_type\":\"linear\",\"factor\":2},"
                + "\"rope_parameters\":{\"rope_type\":\"linear\",\"factor\":4}}");
    assertEquals(2.0, ((io.github.longrope.rope.LinearScaling) both.scaling()).factor());
    assertWarned(both, "rope_parameters is ignored");

    HfRopeConfig.Loaded v5Only =
        parse(
            "{\"head_dim\":8,\"rope_scaling\":null,"
                + "\"rope_parameters\":{\"rope_type\":\"linear\",\"factor\":4,\"rope_theta\":500000}}");
    assertEquals(4.0, ((io.github.longrope.rope.LinearScaling) v5Only.scaling()).factor());
    assertEquals(500000.0, v5Only.geometry().base());
    assertWarned(v5Only, "rope_parameters", "v4.57 reads no RoPE scaling");
    assertWarned(v5Only, "rope_theta", "v5 reads 500000.0", "v4.57 reads 10000.0 (default)");
  }

  @Test
  void innerThetaAndPartialRotaryFactorBeatTheTopLevel() {
    HfRopeConfig.Loaded loaded =
        parse(
            "{\"head_dim\":16,\"rope_theta\":10000,\"partial_rotary_factor\":1.0,"
                + "\"rope_scaling\":{\"rope_type\":\"linear\",\"factor\":2,\"rope_theta\":1000000,"
                + "\"partial_rotary_factor\":0.5}}");
    assertEquals(1000000.0, loaded.geometry().base());
    assertEquals(8, loaded.geometry().rotaryDim());
    assertWarned(loaded, "rope_theta", "v4.57 reads 10000.0 (top level)");
    assertWarned(loaded, "partial_rotary_factor", "rotary dimension 8", "rotary dimension 16");
  }

  @Test
  void ropeTypeBeatsTypeAndAMissingTypeIsDefault() {
    HfRopeConfig.Loaded both =
        parse(
            "{\"head_dim\":8,\"max_position_embeddings\":64,"
                + "\"rope_scaling\":{\"rope_type\":\"linear\",\"type\":\"dynamic\",\"factor\":2}}");
    assertEquals("linear", both.scaling().typeName());
    assertWarned(both, "type / rope_type", "rope_type 'linear'", "type 'dynamic'");

    HfRopeConfig.Loaded none = parse("{\"head_dim\":8,\"rope_scaling\":{\"factor\":2}}");
    assertEquals(new NoScaling(), none.scaling());
    assertWarned(none, "no rope_type", "'default'", "v4.57 refuses");
    assertWarned(none, "unrecognised key 'factor'");
    assertEquals(new NoScaling(), parse("{\"head_dim\":8,\"rope_scaling\":{}}").scaling());
  }

  @Test
  void aMissingOriginalLengthFallsBackToMaxPositionEmbeddings() {
    HfRopeConfig.Loaded loaded =
        parse(
            "{\"head_dim\":8,\"max_position_embeddings\":1024,\"rope_scaling\":"
                + "{\"rope_type\":\"longrope\",\"short_factor\":[1,1,1,1],\"long_factor\":[1,2,3,4]}}");
    LongRopeScaling rope = (LongRopeScaling) loaded.scaling();
    assertEquals(1024, rope.originalLength());
    assertEquals(1.0, rope.scale());
    assertEquals(1.0, rope.attentionScale(2000));
    assertWarned(loaded, "takes L = max_position_embeddings = 1024");

    HfRopeConfig.Loaded yarn =
        parse(
            "{\"head_dim\":8,\"max_position_embeddings\":1024,"
                + "\"rope_scaling\":{\"rope_type\":\"yarn\",\"factor\":4}}");
    assertEquals(YarnScaling.of(4, 1024), yarn.scaling());
    // an explicit null factor is max_position_embeddings / L in v5
    HfRopeConfig.Loaded nullFactor =
        parse(
            "{\"head_dim\":8,\"max_position_embeddings\":1024,\"rope_scaling\":"
                + "{\"rope_type\":\"yarn\",\"factor\":null,\"original_max_position_embeddings\":256}}");
    assertEquals(YarnScaling.of(4, 256), nullFactor.scaling());
    assertWarned(nullFactor, "factor is null", "v4.57 fails");
  }

  @Test
  void phi3ModelsDefaultToL4096AndReadYarnAsLongRope() {
    String lists = "\"short_factor\":[1,1,1,1],\"long_factor\":[1,2,3,4]}}";
    HfRopeConfig.Loaded noTop =
        parse(
            "{\"model_type\":\"phi3\",\"head_dim\":8,\"max_position_embeddings\":131072,"
                + "\"rope_scaling\":{\"type\":\"longrope\",\"original_max_position_embeddings\":2048,"
                + lists);
    LongRopeScaling rope = (LongRopeScaling) noTop.scaling();
    assertEquals(4096, rope.originalLength());
    assertEquals(32.0, rope.scale());
    assertWarned(noTop, "2048 is ignored", "Phi3Config's default");
    assertWarned(noTop, "Phi3Config refuses it");

    HfRopeConfig.Loaded yarn =
        parse(
            "{\"model_type\":\"phi3\",\"head_dim\":8,\"max_position_embeddings\":131072,"
                + "\"original_max_position_embeddings\":4096,\"rope_scaling\":{\"type\":\"yarn\","
                + lists);
    assertEquals("longrope", yarn.scaling().typeName());
    assertWarned(yarn, "phi3", "'yarn' as longrope");
  }

  @Test
  void aBareObjectStillNeedsItsTypeAndLength() {
    FormatException noType =
        org.junit.jupiter.api.Assertions.assertThrows(
            FormatException.class,
            () -> HfRopeConfig.parseScaling(Json.parseObject("{\"factor\":2}", "b"), 4, "b"));
    assertTrue(noType.getMessage().contains("rope_type"), noType.getMessage());
    for (String type : List.of("yarn", "llama3", "dynamic", "longrope")) {
      String json =
          "{\"rope_type\":\""
              + type
              + "\",\"factor\":4,\"short_factor\":[1,1,1,1],\"long_factor\":[1,2,3,4]}";
      FormatException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              FormatException.class,
              () -> HfRopeConfig.parseScaling(Json.parseObject(json, "b"), 4, "b"),
              type);
      assertTrue(e.getMessage().contains("original_max_position_embeddings"), e.getMessage());
    }
  }

  @Test
  void anAttentionFactorBesideAPolicyIsThePolicySpelledForHf() {
    String base =
        "{\"rope_type\":\"longrope\",\"factor\":8,\"original_max_position_embeddings\":256,"
            + "\"short_factor\":[1,1,1,1],\"long_factor\":[1,2,3,4],\"magnitude_policy\":\"yarn\",";
    LongRopeScaling same =
        (LongRopeScaling)
            HfRopeConfig.parseScaling(
                Json.parseObject(
                    base + "\"attention_factor\":" + (0.1 * Math.log(8) + 1) + "}", "b"),
                4,
                "b");
    assertEquals(new MagnitudeScaling.Yarn(), same.magnitude());
    HfRopeConfig.Loaded other =
        parse(
            "{\"head_dim\":8,\"max_position_embeddings\":2048,\"rope_scaling\":"
                + base
                + "\"attention_factor\":1.5}}");
    assertEquals(
        new MagnitudeScaling.Constant(1.5), ((LongRopeScaling) other.scaling()).magnitude());
    assertWarned(other, "magnitude_policy yarn", "disagrees", "using attention_factor");
  }
}
