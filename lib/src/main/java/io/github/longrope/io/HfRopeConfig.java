package io.github.longrope.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.rope.DynamicNtkScaling;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LinearScaling;
import io.github.longrope.rope.Llama3Scaling;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.NtkScaling;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.rope.RopeNames;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.rope.YarnScaling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Hugging Face {@code config.json} RoPE parameters ↔ {@link RopeScaling} (docs/method.md, "HF
 * config.json keys").
 *
 * <p>Reads {@code rope_scaling} (transformers v4) or {@code rope_parameters} (v5), with the type
 * under {@code rope_type} or the legacy {@code type}; {@code su} is {@code longrope}. The geometry
 * comes from {@code head_dim} (or {@code hidden_size / num_attention_heads}), {@code
 * partial_rotary_factor} and {@code rope_theta}.
 *
 * <p>Resolution rules, where HF versions differ:
 *
 * <ul>
 *   <li>original length L: {@code original_max_position_embeddings} inside the RoPE parameters,
 *       else at the top level (Phi-3 v4 layout); {@code dynamic} and {@code yarn} fall back to
 *       {@code max_position_embeddings} as HF v4 does; {@code longrope} and {@code llama3} require
 *       it.
 *   <li>{@code longrope} scale s: {@code factor} if given, else {@code max_position_embeddings /
 *       L}. Attention scale: {@code attention_factor} if given, else √(1 + ln s / ln L); {@code
 *       long_mscale}/{@code short_mscale} (vLLM) override it per regime.
 *   <li>identical {@code short_factor} and {@code long_factor} load as one factor set (nothing
 *       switches).
 * </ul>
 *
 * <p>Workbench extensions of the {@code longrope} object (HF ignores them; they make every {@link
 * LongRopeScaling} round-trip): {@code start_tokens} (n̂), {@code magnitude_policy} ({@code su} |
 * {@code yarn}), {@code short_magnitude_policy}, {@code dynamic} (bool), and per-layer factors as a
 * list of lists.
 */
public final class HfRopeConfig {
  private HfRopeConfig() {}

  /**
   * What a config says about RoPE.
   *
   * @param maxPositionEmbeddings {@code max_position_embeddings}, or 0 when absent
   * @param originalLength the pre-training length L the scaling refers to (for {@code default} and
   *     {@code linear}: {@code max_position_embeddings}, or 0)
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
    String paramsKey = top.has("rope_parameters") ? "rope_parameters" : "rope_scaling";
    JsonNode paramsNode = top.get(paramsKey);
    if (paramsNode != null && !paramsNode.isNull() && !paramsNode.isObject()) {
      throw top.error(paramsKey, "must be an object, got " + Json.describe(paramsNode));
    }
    JsonFields params =
        paramsNode == null || paramsNode.isNull()
            ? null
            : new JsonFields(paramsNode, source, paramsKey + ".");

    double theta;
    if (params != null && params.has("rope_theta")) {
      theta = params.requiredDouble("rope_theta");
    } else if (top.has("rope_theta")) {
      theta = top.requiredDouble("rope_theta");
    } else {
      theta = 10000;
      warnings.add(source + ": no rope_theta; using the LLaMA default 10000");
    }
    RopeGeometry geometry;
    try {
      geometry =
          RopeGeometry.of(
              headDim(top),
              params != null && params.has("partial_rotary_factor")
                  ? params.requiredDouble("partial_rotary_factor") // v5 layout
                  : top.optionalDouble("partial_rotary_factor", 1.0),
              theta);
    } catch (IllegalArgumentException e) {
      throw new FormatException(source, "", e.getMessage(), e);
    }
    int maxPos =
        top.has("max_position_embeddings") ? top.positiveInt("max_position_embeddings") : 0;
    int topOriginal =
        top.has("original_max_position_embeddings")
            ? top.positiveInt("original_max_position_embeddings")
            : 0;
    if (params == null) {
      return new Loaded(geometry, new NoScaling(), maxPos, maxPos, warnings);
    }
    Context ctx = new Context(geometry.pairs(), maxPos, topOriginal);
    RopeScaling scaling = parseScaling(params, ctx, warnings);
    return new Loaded(geometry, scaling, maxPos, scaling.originalLengthOr(maxPos), warnings);
  }

  /**
   * Parses a bare {@code rope_scaling} object (for example one written by {@link #toJson}).
   *
   * @param pairs d/2 to check factor lengths against, or 0 to skip the check
   */
  public static RopeScaling parseScaling(JsonNode ropeScaling, int pairs, String source) {
    if (ropeScaling == null || !ropeScaling.isObject()) {
      throw new FormatException(
          source, "", "expected a rope_scaling object, got " + Json.describe(ropeScaling));
    }
    List<String> ignored = new ArrayList<>();
    return parseScaling(new JsonFields(ropeScaling, source, ""), new Context(pairs, 0, 0), ignored);
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

  /** What a rope_scaling object may need from the rest of the config. */
  private record Context(int pairs, int maxPositionEmbeddings, int topLevelOriginal) {}

  private static RopeScaling parseScaling(JsonFields p, Context ctx, List<String> warnings) {
    String type = p.optionalString("rope_type");
    String legacy = p.optionalString("type");
    if (type == null) {
      type = legacy;
    }
    if (type == null) {
      throw p.error("rope_type", "required but missing (nor is the legacy key 'type' given)");
    }
    try {
      type = RopeNames.type(type);
    } catch (IllegalArgumentException e) {
      throw p.error("rope_type", e.getMessage());
    }
    try {
      return switch (type) {
        case "default" -> {
          warnUnknown(p, Set.of(), warnings);
          yield new NoScaling();
        }
        case "linear" -> {
          warnUnknown(p, Set.of("factor"), warnings);
          yield new LinearScaling(p.requiredDouble("factor"));
        }
        case "ntk" -> {
          warnUnknown(p, Set.of("factor"), warnings);
          yield new NtkScaling(p.requiredDouble("factor"));
        }
        case "dynamic" -> {
          warnUnknown(p, Set.of("factor", "original_max_position_embeddings"), warnings);
          yield new DynamicNtkScaling(p.requiredDouble("factor"), originalOrMax(p, ctx));
        }
        case "yarn" -> {
          warnUnknown(
              p,
              Set.of(
                  "factor",
                  "original_max_position_embeddings",
                  "beta_fast",
                  "beta_slow",
                  "truncate",
                  "attention_factor",
                  "mscale",
                  "mscale_all_dim"),
              warnings);
          yield new YarnScaling(
              p.requiredDouble("factor"),
              originalOrMax(p, ctx),
              p.optionalDouble("beta_fast", YarnScaling.DEFAULT_BETA_FAST),
              p.optionalDouble("beta_slow", YarnScaling.DEFAULT_BETA_SLOW),
              p.optionalBoolean("truncate", true),
              p.optionalDouble("attention_factor", Double.NaN),
              p.optionalDouble("mscale", Double.NaN),
              p.optionalDouble("mscale_all_dim", Double.NaN));
        }
        case "llama3" -> {
          warnUnknown(
              p,
              Set.of(
                  "factor",
                  "low_freq_factor",
                  "high_freq_factor",
                  "original_max_position_embeddings"),
              warnings);
          yield new Llama3Scaling(
              p.requiredDouble("factor"),
              llama3Factor(p, "low_freq_factor", Llama3Scaling.DEFAULT_LOW_FREQ_FACTOR, warnings),
              llama3Factor(p, "high_freq_factor", Llama3Scaling.DEFAULT_HIGH_FREQ_FACTOR, warnings),
              p.requiredInt("original_max_position_embeddings"));
        }
        default -> parseLongRope(p, ctx, warnings);
      };
    } catch (FormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw p.error("rope_type", "invalid '" + type + "' parameters: " + e.getMessage());
    }
  }

  /** A llama3 frequency factor; when absent, Llama 3.1's value, with a warning (HF requires it). */
  private static double llama3Factor(
      JsonFields p, String key, double fallback, List<String> warnings) {
    if (!p.has(key)) {
      warnings.add(
          "llama3 without "
              + key
              + ": using "
              + fallback
              + " (Llama 3.1's; transformers requires it)");
    }
    return p.optionalDouble(key, fallback);
  }

  private static int originalOrMax(JsonFields p, Context ctx) {
    if (p.has("original_max_position_embeddings")) {
      return p.positiveInt("original_max_position_embeddings");
    }
    if (ctx.topLevelOriginal() > 0) {
      return ctx.topLevelOriginal();
    }
    if (ctx.maxPositionEmbeddings() > 0) {
      return ctx.maxPositionEmbeddings();
    }
    throw p.error(
        "original_max_position_embeddings",
        "required: neither it nor max_position_embeddings is given");
  }

  private static LongRopeScaling parseLongRope(JsonFields p, Context ctx, List<String> warnings) {
    warnUnknown(
        p,
        Set.of(
            "factor",
            "original_max_position_embeddings",
            "short_factor",
            "long_factor",
            "attention_factor",
            "short_mscale",
            "long_mscale",
            "start_tokens",
            "magnitude_policy",
            "short_magnitude_policy",
            "dynamic"),
        warnings);
    FactorTable longFactors = factors(p, "long_factor", ctx.pairs());
    FactorTable shortFactors = factors(p, "short_factor", ctx.pairs());
    int original;
    if (p.has("original_max_position_embeddings")) {
      original = p.positiveInt("original_max_position_embeddings");
    } else if (ctx.topLevelOriginal() > 0) {
      original = ctx.topLevelOriginal();
    } else {
      throw p.error(
          "original_max_position_embeddings",
          "required for short_factor/long_factor (here or at the top level of config.json):"
              + " the short/long switch and the attention scale are defined relative to it");
    }
    double scale;
    if (p.has("factor")) {
      scale = p.requiredDouble("factor");
      if (ctx.maxPositionEmbeddings() > 0
          && Math.abs(scale * original - ctx.maxPositionEmbeddings()) > 0.5) {
        warnings.add(
            "rope factor "
                + scale
                + " disagrees with max_position_embeddings / original = "
                + ctx.maxPositionEmbeddings()
                + " / "
                + original
                + "; using factor");
      }
    } else if (ctx.maxPositionEmbeddings() > 0) {
      scale = (double) ctx.maxPositionEmbeddings() / original;
    } else {
      throw p.error("factor", "required when max_position_embeddings is not given");
    }
    MagnitudeScaling magnitude = new MagnitudeScaling.Su();
    if (p.has("attention_factor")) {
      magnitude = new MagnitudeScaling.Constant(p.requiredDouble("attention_factor"));
    } else if (p.has("magnitude_policy")) {
      magnitude = policy(p, "magnitude_policy");
    }
    if (p.has("long_mscale")) {
      magnitude = new MagnitudeScaling.Constant(p.requiredDouble("long_mscale"));
    }
    MagnitudeScaling shortMagnitude = null;
    if (p.has("short_mscale")) {
      shortMagnitude = new MagnitudeScaling.Constant(p.requiredDouble("short_mscale"));
    } else if (p.has("short_magnitude_policy")) {
      shortMagnitude = policy(p, "short_magnitude_policy");
    }
    boolean samePair = shortFactors.equals(longFactors);
    return new LongRopeScaling(
        longFactors,
        samePair ? null : shortFactors,
        original,
        scale,
        p.optionalNonNegativeInt("start_tokens", 0),
        magnitude,
        samePair ? null : shortMagnitude,
        p.optionalBoolean("dynamic", false));
  }

  private static MagnitudeScaling policy(JsonFields p, String key) {
    try {
      return MagnitudeScaling.parse(p.optionalString(key));
    } catch (IllegalArgumentException e) {
      throw p.error(key, e.getMessage());
    }
  }

  private static FactorTable factors(JsonFields p, String key, int pairs) {
    FactorTable table = FactorTable.ofRows(p.factorRows(key));
    if (pairs > 0 && table.width() != pairs) {
      throw p.error(
          key,
          "has "
              + table.width()
              + " values, expected d/2 = "
              + pairs
              + " (head_dim × partial_rotary_factor / 2)");
    }
    return table;
  }

  private static void warnUnknown(JsonFields p, Set<String> known, List<String> warnings) {
    for (Iterator<String> it = p.keys(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)
          && !key.equals("rope_type")
          && !key.equals("type")
          && !key.equals("rope_theta")
          && !key.equals("partial_rotary_factor")) {
        warnings.add("unrecognised key '" + key + "' in the RoPE parameters; ignored");
      }
    }
  }

  /**
   * The {@code rope_scaling} object for a variant, in HF's spelling plus the documented extensions;
   * {@link #parseScaling} reads it back to an equal record.
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
      o.put("original_max_position_embeddings", d.originalLength());
    } else if (scaling instanceof YarnScaling y) {
      o.put("factor", y.factor());
      o.put("original_max_position_embeddings", y.originalLength());
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
      o.put("original_max_position_embeddings", l.originalLength());
    } else if (scaling instanceof LongRopeScaling l) {
      putLongRope(o, l);
    } else {
      throw new IllegalStateException("no HF spelling for " + scaling);
    }
    return o;
  }

  private static void putLongRope(ObjectNode o, LongRopeScaling l) {
    o.put("factor", l.scale());
    o.put("original_max_position_embeddings", l.originalLength());
    o.set("short_factor", factorJson(l.shortFactors() == null ? l.factors() : l.shortFactors()));
    o.set("long_factor", factorJson(l.factors()));
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

  private static JsonNode factorJson(FactorTable table) {
    if (table.isShared()) {
      return Json.array(table.row(0));
    }
    ArrayNode rows = Json.MAPPER.createArrayNode();
    for (double[] row : table.rows()) {
      rows.add(Json.array(row));
    }
    return rows;
  }

  private static void putIfPresent(ObjectNode o, String key, double value) {
    if (!Double.isNaN(value)) {
      o.put(key, value);
    }
  }
}
