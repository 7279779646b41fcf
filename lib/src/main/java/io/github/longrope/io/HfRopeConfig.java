package io.github.longrope.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.HfRopeRules.Context;
import io.github.longrope.rope.DynamicNtkScaling;
import io.github.longrope.rope.LinearScaling;
import io.github.longrope.rope.Llama3Scaling;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.NtkScaling;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.rope.YarnScaling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hugging Face {@code config.json} RoPE parameters ↔ {@link RopeScaling}: the entry point for
 * reading a config ({@link #read}, {@link #parse}, {@link #parseScaling}) and for writing one that
 * transformers v4.57 and v5 read alike ({@link #toJson}, {@link #forConfig}). docs/method.md, "HF
 * config.json keys", has the precedence table and where v4 differs.
 *
 * <p>Two package-private classes hold the rules, so each reads on its own: {@link HfRopeRules}
 * resolves the RoPE object key by key as transformers v5 does (the numbers), and {@link HfV4Rules}
 * compares that reading with v4.57's (the warnings). This class picks the RoPE object, the geometry
 * ({@code rope_theta}, head dimension, {@code partial_rotary_factor}) and the top-level L that the
 * rules see.
 *
 * <p>Workbench additions (HF ignores them; they make every {@link LongRopeScaling} round-trip): the
 * {@code ntk} type; inside a {@code longrope} object {@code start_tokens} (n̂), {@code
 * magnitude_policy} ({@code su} | {@code yarn}), {@code short_magnitude_policy}, {@code dynamic}
 * (bool), per-layer factors as a list of lists, and vLLM's {@code short_mscale}/{@code
 * long_mscale}; llama3's {@code low_freq_factor}/{@code high_freq_factor} default to Llama 3.1's. A
 * bare RoPE object ({@link #parseScaling(JsonNode, int, String)}) has no top level: its type and,
 * where the variant has one, its L are required inside it.
 */
public final class HfRopeConfig {
  private HfRopeConfig() {}

  static final String ORIGINAL = "original_max_position_embeddings";

  /** {@code Phi3Config}'s default top-level original length (transformers v4 and v5). */
  static final int PHI3_DEFAULT_ORIGINAL = 4096;

  static final double DEFAULT_THETA = 10000;

  /**
   * What a config says about RoPE.
   *
   * @param maxPositionEmbeddings {@code max_position_embeddings}, or 0 when absent
   * @param originalLength the pre-training length L the scaling refers to; for variants without one
   *     (none, linear, ntk), the top-level {@code original_max_position_embeddings} if given, else
   *     {@code max_position_embeddings} (or 0)
   */
  public record Loaded(
      RopeGeometry geometry,
      RopeScaling scaling,
      int maxPositionEmbeddings,
      int originalLength,
      List<String> warnings) {
    public Loaded {
      warnings = List.copyOf(warnings);
    }
  }

  /** Reads a {@code config.json} file. */
  public static Loaded read(Path configJson) {
    return parse(Json.readObject(configJson), configJson.toString());
  }

  /** Parses a whole model config; {@code source} names it in errors. */
  public static Loaded parse(JsonNode config, String source) {
    JsonFields top = new JsonFields(config, source, "");
    List<String> warnings = new ArrayList<>();
    String modelType =
        top.has("model_type") ? top.optionalString("model_type").toLowerCase(Locale.ROOT) : "";
    String paramsKey = ropeObjectKey(top, warnings);
    JsonFields params =
        paramsKey == null ? null : new JsonFields(top.get(paramsKey), source, paramsKey + ".");

    double theta;
    if (params != null && params.has("rope_theta")) {
      theta = params.requiredDouble("rope_theta");
    } else if (top.has("rope_theta")) {
      theta = top.requiredDouble("rope_theta");
    } else {
      theta = DEFAULT_THETA;
      warnings.add(source + ": no rope_theta; using the LLaMA default 10000");
    }
    int headDim = headDim(top);
    double partial =
        params != null && params.has("partial_rotary_factor")
            ? params.requiredDouble("partial_rotary_factor")
            : top.optionalDouble("partial_rotary_factor", 1.0);
    RopeGeometry geometry;
    try {
      geometry = RopeGeometry.of(headDim, partial, theta);
    } catch (IllegalArgumentException e) {
      throw new FormatException(source, "", e.getMessage(), e);
    }
    int maxPos =
        top.has("max_position_embeddings") ? top.positiveInt("max_position_embeddings") : 0;
    int topOriginal = top.has(ORIGINAL) ? top.positiveInt(ORIGINAL) : 0;
    int fallbackOriginal = topOriginal > 0 ? topOriginal : maxPos;
    if (params == null) {
      return new Loaded(geometry, new NoScaling(), maxPos, fallbackOriginal, warnings);
    }
    Context ctx;
    if (topOriginal > 0) {
      ctx = new Context(geometry.pairs(), maxPos, topOriginal, "the top level", modelType, true, 0);
    } else if (modelType.equals("phi3")) {
      ctx =
          new Context(
              geometry.pairs(),
              maxPos,
              PHI3_DEFAULT_ORIGINAL,
              "Phi3Config's default (no top-level value)",
              modelType,
              true,
              0);
    } else {
      ctx = new Context(geometry.pairs(), maxPos, 0, null, modelType, true, 0);
    }
    RopeScaling scaling = HfRopeRules.parse(params, ctx, warnings);
    HfV4Rules.compare(top, paramsKey, params, ctx, headDim, geometry, scaling, warnings);
    return new Loaded(
        geometry, scaling, maxPos, scaling.originalLengthOr(fallbackOriginal), warnings);
  }

  /**
   * Parses a bare {@code rope_scaling} object (for example one written by {@link #toJson}); with no
   * top level to fall back on, its type and L (where the variant has one) are required in it.
   *
   * @param pairs d/2 to check factor lengths against, or 0 to skip the check
   */
  public static RopeScaling parseScaling(JsonNode ropeScaling, int pairs, String source) {
    return parseScaling(ropeScaling, pairs, 0, source, new ArrayList<>());
  }

  /**
   * Parses a bare {@code rope_scaling} object written against a checkpoint (an evaluation plan's
   * setting): where the variant needs L and the object states none, L is the checkpoint's.
   *
   * @param fallbackOriginal the checkpoint's original length, or 0 to require L in the object
   * @param warnings receives what the parser noticed (unknown keys, defaulted values)
   */
  public static RopeScaling parseScaling(
      JsonNode ropeScaling, int pairs, int fallbackOriginal, String source, List<String> warnings) {
    if (ropeScaling == null || !ropeScaling.isObject()) {
      throw new FormatException(
          source, "", "expected a rope_scaling object, got " + Json.describe(ropeScaling));
    }
    return HfRopeRules.parse(
        new JsonFields(ropeScaling, source, ""),
        new Context(pairs, 0, 0, null, "", false, fallbackOriginal),
        warnings);
  }

  /**
   * Which object holds the RoPE parameters: {@code rope_scaling} unless null or empty (v5 keeps the
   * v4 key first), else {@code rope_parameters}; null when neither is given.
   */
  private static String ropeObjectKey(JsonFields top, List<String> warnings) {
    for (String key : List.of("rope_scaling", "rope_parameters")) {
      JsonNode n = top.get(key);
      if (n != null && !n.isNull() && !n.isObject()) {
        throw top.error(key, "must be an object, got " + Json.describe(n));
      }
    }
    JsonNode scaling = top.get("rope_scaling");
    JsonNode params = top.get("rope_parameters");
    boolean hasScaling = scaling != null && scaling.isObject() && !scaling.isEmpty();
    boolean hasParams = params != null && params.isObject();
    if (hasScaling) {
      if (hasParams && !params.isEmpty() && !params.equals(scaling)) {
        warnings.add(
            "both rope_scaling and rope_parameters are given: transformers reads rope_scaling;"
                + " rope_parameters is ignored");
      }
      return "rope_scaling";
    }
    if (hasParams) {
      return "rope_parameters";
    }
    return scaling != null && scaling.isObject() ? "rope_scaling" : null;
  }

  private static int headDim(JsonFields top) {
    if (top.has("head_dim")) {
      return top.positiveInt("head_dim");
    }
    if (!top.has("hidden_size") || !top.has("num_attention_heads")) {
      throw top.error(
          "head_dim", "missing, and hidden_size / num_attention_heads are not both given");
    }
    int hidden = top.positiveInt("hidden_size");
    int heads = top.positiveInt("num_attention_heads");
    if (hidden % heads != 0) {
      throw top.error(
          "hidden_size", hidden + " is not divisible by num_attention_heads = " + heads);
    }
    return hidden / heads;
  }

  /**
   * The {@code rope_scaling} object for a variant, in HF's spelling plus the documented extensions;
   * {@link #parseScaling} reads it back to an equal record. A whole {@code config.json} needs more
   * (the top-level L, and what transformers v4 reads): see {@link #forConfig}.
   */
  public static ObjectNode toJson(RopeScaling scaling) {
    // Java 17 has no pattern switch: an instanceof chain over the sealed type, closed by a throw.
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("rope_type", scaling.typeName());
    if (scaling instanceof NoScaling) {
      return o;
    } else if (scaling instanceof LinearScaling l) {
      o.put("factor", l.factor());
    } else if (scaling instanceof NtkScaling n) {
      o.put("factor", n.factor());
    } else if (scaling instanceof DynamicNtkScaling d) {
      o.put("factor", d.factor());
      o.put(ORIGINAL, d.originalLength());
    } else if (scaling instanceof YarnScaling y) {
      o.put("factor", y.factor());
      o.put(ORIGINAL, y.originalLength());
      o.put("beta_fast", y.betaFast());
      o.put("beta_slow", y.betaSlow());
      if (!y.truncate()) {
        o.put("truncate", false);
      }
      putIfPresent(o, "attention_factor", y.attentionFactor());
      putIfPresent(o, "mscale", y.mscale());
      putIfPresent(o, "mscale_all_dim", y.mscaleAllDim());
    } else if (scaling instanceof Llama3Scaling l) {
      o.put("factor", l.factor());
      o.put("low_freq_factor", l.lowFreqFactor());
      o.put("high_freq_factor", l.highFreqFactor());
      o.put(ORIGINAL, l.originalLength());
    } else if (scaling instanceof LongRopeScaling l) {
      putLongRope(o, l);
    } else {
      throw new IllegalStateException("no HF spelling for " + scaling);
    }
    return o;
  }

  /**
   * The RoPE keys of a whole {@code config.json}.
   *
   * @param maxPositionEmbeddings {@code max_position_embeddings} to write
   * @param originalLength top-level {@code original_max_position_embeddings}, or 0 to leave it out
   * @param ropeScaling the {@code rope_scaling} object, or null for none
   */
  public record ConfigKeys(int maxPositionEmbeddings, int originalLength, ObjectNode ropeScaling) {}

  /**
   * The RoPE keys a {@code config.json} needs so that transformers v4.57 and v5 both read {@code
   * scaling} as this parser does: the same L, scale, attention scale and regime switch.
   *
   * <ul>
   *   <li>{@code yarn}, {@code llama3}, {@code longrope}: L at the top level too (v5 and v4's
   *       longrope read it there, v4's yarn and llama3 inside);
   *   <li>{@code dynamic}: {@code max_position_embeddings} = L (both read L there);
   *   <li>{@code longrope}: {@code attention_factor} spelled out when v4's factor, {@code
   *       max_position_embeddings / L}, differs from s, or when the workbench policy is not HF's
   *       default (with the policy beside it, so the record round-trips);
   *   <li>{@code phi3}: Phi-3's own three-key layout ({@code type}, {@code short_factor}, {@code
   *       long_factor}) when the setting fits it, since v4's {@code Phi3Config} accepts no other.
   * </ul>
   *
   * @param originalLength the model's L, written at the top level for variants without their own
   *     when it differs from {@code maxPositionEmbeddings}
   */
  public static ConfigKeys forConfig(
      String modelType, RopeScaling scaling, int maxPositionEmbeddings, int originalLength) {
    if (scaling instanceof NoScaling) {
      return new ConfigKeys(
          maxPositionEmbeddings,
          originalLength != maxPositionEmbeddings ? originalLength : 0,
          null);
    }
    ObjectNode rope = toJson(scaling);
    if (scaling instanceof DynamicNtkScaling d) {
      return new ConfigKeys(d.originalLength(), 0, rope);
    }
    if (!(scaling instanceof RopeScaling.Anchored anchored)) {
      return new ConfigKeys(
          maxPositionEmbeddings,
          originalLength != maxPositionEmbeddings ? originalLength : 0,
          rope);
    }
    int original = anchored.originalLength();
    if (scaling instanceof LongRopeScaling l) {
      boolean v4ScaleIsS = (double) maxPositionEmbeddings / original == l.scale();
      if ("phi3".equals(modelType) && v4ScaleIsS && fitsPhi3Layout(l)) {
        ObjectNode phi = Json.MAPPER.createObjectNode();
        phi.put("type", "longrope");
        phi.set("short_factor", rope.get("short_factor"));
        phi.set("long_factor", rope.get("long_factor"));
        return new ConfigKeys(maxPositionEmbeddings, original, phi);
      }
      MagnitudeScaling m = l.magnitude();
      boolean hfDefault = m instanceof MagnitudeScaling.Su && v4ScaleIsS;
      if (!rope.has("attention_factor") && !hfDefault) {
        rope.put("attention_factor", m.scale(l.scale(), original));
        rope.put("magnitude_policy", m.spelling());
      }
    }
    return new ConfigKeys(maxPositionEmbeddings, original, rope);
  }

  /** Whether a LongRoPE setting is expressible as Phi-3's {type, short_factor, long_factor}. */
  private static boolean fitsPhi3Layout(LongRopeScaling l) {
    return l.startTokens() == 0
        && !l.dynamic()
        && l.magnitude() instanceof MagnitudeScaling.Su
        && l.shortMagnitude() == null
        && l.factors().isShared()
        && (l.shortFactors() == null || l.shortFactors().isShared());
  }

  private static void putLongRope(ObjectNode o, LongRopeScaling l) {
    o.put("factor", l.scale());
    o.put(ORIGINAL, l.originalLength());
    o.set("short_factor", Json.factors(l.shortFactors() == null ? l.factors() : l.shortFactors()));
    o.set("long_factor", Json.factors(l.factors()));
    putPolicy(o, "attention_factor", "magnitude_policy", l.magnitude());
    if (l.shortMagnitude() != null) {
      putPolicy(o, "short_mscale", "short_magnitude_policy", l.shortMagnitude());
    }
    if (l.startTokens() > 0) {
      o.put("start_tokens", l.startTokens());
    }
    if (l.dynamic()) {
      o.put("dynamic", true);
    }
  }

  private static void putPolicy(
      ObjectNode o, String constantKey, String policyKey, MagnitudeScaling policy) {
    if (policy instanceof MagnitudeScaling.Constant c) {
      o.put(constantKey, c.value());
    } else if (!(policy instanceof MagnitudeScaling.Su) || !policyKey.equals("magnitude_policy")) {
      // su is HF's default for the long regime; anything else is spelled out
      o.put(policyKey, policy.spelling());
    }
  }

  private static void putIfPresent(ObjectNode o, String key, double value) {
    if (!Double.isNaN(value)) {
      o.put(key, value);
    }
  }
}
