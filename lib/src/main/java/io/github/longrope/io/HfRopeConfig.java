package io.github.longrope.io;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Hugging Face {@code config.json} RoPE parameters ↔ {@link RopeScaling}, resolved key by key as
 * transformers v5 resolves them (docs/method.md, "HF config.json keys", has the precedence table
 * and where v4 differs).
 *
 * <p>The rules that decide the numbers:
 *
 * <ul>
 *   <li>the RoPE object: {@code rope_scaling} unless it is null or empty, else {@code
 *       rope_parameters}; its type: {@code rope_type}, else the legacy {@code type}, else {@code
 *       default} (names resolve through {@link RopeNames}, so {@code su} is {@code longrope});
 *   <li>{@code rope_theta} and {@code partial_rotary_factor}: inside the RoPE object, else at the
 *       top level, else 10000 and 1;
 *   <li>original length L of {@code yarn}, {@code llama3} and {@code longrope}: the top-level
 *       {@code original_max_position_embeddings} (for {@code phi3} models its class default 4096
 *       when absent), else the one inside the RoPE object, else {@code max_position_embeddings};
 *   <li>{@code dynamic}: L is always {@code max_position_embeddings};
 *   <li>{@code longrope} scale s: {@code factor}, else {@code max_position_embeddings / L};
 *       attention scale: {@code attention_factor}, else √(1 + ln s / ln L) (1 for s ≤ 1).
 * </ul>
 *
 * <p>Where transformers v4.57 would read the same config differently (another L, attention scale,
 * type or base, or a refusal), a warning names the key and both readings.
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

  /** The only {@code rope_scaling} keys transformers v4's {@code Phi3Config} accepts. */
  static final Set<String> PHI3_V4_KEYS = Set.of("type", "short_factor", "long_factor");

  private static final double DEFAULT_THETA = 10000;

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
      ctx = new Context(geometry.pairs(), maxPos, topOriginal, "the top level", modelType, true);
    } else if (modelType.equals("phi3")) {
      ctx =
          new Context(
              geometry.pairs(),
              maxPos,
              PHI3_DEFAULT_ORIGINAL,
              "Phi3Config's default (no top-level value)",
              modelType,
              true);
    } else {
      ctx = new Context(geometry.pairs(), maxPos, 0, null, modelType, true);
    }
    RopeScaling scaling = parseScaling(params, ctx, warnings);
    V4Rules.compare(top, paramsKey, params, ctx, headDim, geometry, scaling, warnings);
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
    if (ropeScaling == null || !ropeScaling.isObject()) {
      throw new FormatException(
          source, "", "expected a rope_scaling object, got " + Json.describe(ropeScaling));
    }
    List<String> ignored = new ArrayList<>();
    return parseScaling(
        new JsonFields(ropeScaling, source, ""),
        new Context(pairs, 0, 0, null, "", false),
        ignored);
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
   * What a RoPE object may need from the rest of the config.
   *
   * @param topOriginal the top-level L transformers sees (explicit, or a model class default), or 0
   * @param topOriginalFrom where {@code topOriginal} comes from, for messages
   * @param wholeConfig false for a bare object (no top level at all)
   */
  record Context(
      int pairs,
      int maxPositionEmbeddings,
      int topOriginal,
      String topOriginalFrom,
      String modelType,
      boolean wholeConfig) {}

  /** A length and where it was read, for messages. */
  record Length(int value, String from) {}

  /** The canonical type v5 reads: {@code rope_type}, else {@code type}, else {@code default}. */
  private static String type(JsonFields p, Context ctx, List<String> warnings) {
    String type = p.optionalString("rope_type");
    if (type == null) {
      type = p.optionalString("type");
    }
    if (type == null) {
      if (!ctx.wholeConfig()) {
        throw p.error("rope_type", "required but missing (nor is the legacy key 'type' given)");
      }
      if (p.keys().hasNext()) {
        warnings.add(
            "no rope_type (nor type) in the RoPE parameters: transformers v5 reads them as"
                + " 'default' (no scaling; the other keys are ignored), v4.57 refuses them");
      }
      return "default";
    }
    String key = p.has("rope_type") ? "rope_type" : "type";
    try {
      type = RopeNames.type(type);
    } catch (IllegalArgumentException e) {
      throw p.error(key, e.getMessage());
    }
    if (ctx.modelType().equals("phi3") && !type.equals("default") && !type.equals("longrope")) {
      if (type.equals("yarn")) {
        warnings.add(
            "phi3: transformers reads " + p.name(key) + " 'yarn' as longrope (Phi-3's old name)");
        return "longrope";
      }
      warnings.add(
          "phi3: transformers accepts only default and longrope, and refuses "
              + p.name(key)
              + " '"
              + type
              + "'; read here as "
              + type);
    }
    return type;
  }

  private static RopeScaling parseScaling(JsonFields p, Context ctx, List<String> warnings) {
    String type = type(p, ctx, warnings);
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
          warnUnknown(p, Set.of("factor", ORIGINAL), warnings);
          yield new DynamicNtkScaling(
              p.requiredDouble("factor"), dynamicOriginal(p, ctx, warnings));
        }
        case "yarn" -> {
          warnUnknown(
              p,
              Set.of(
                  "factor",
                  ORIGINAL,
                  "beta_fast",
                  "beta_slow",
                  "truncate",
                  "attention_factor",
                  "mscale",
                  "mscale_all_dim"),
              warnings);
          int original = scaledOriginal(p, ctx, warnings).value();
          yield new YarnScaling(
              yarnFactor(p, ctx, original, warnings),
              original,
              p.optionalDouble("beta_fast", YarnScaling.DEFAULT_BETA_FAST),
              p.optionalDouble("beta_slow", YarnScaling.DEFAULT_BETA_SLOW),
              p.optionalBoolean("truncate", true),
              p.optionalDouble("attention_factor", Double.NaN),
              p.optionalDouble("mscale", Double.NaN),
              p.optionalDouble("mscale_all_dim", Double.NaN));
        }
        case "llama3" -> {
          warnUnknown(
              p, Set.of("factor", "low_freq_factor", "high_freq_factor", ORIGINAL), warnings);
          yield new Llama3Scaling(
              p.requiredDouble("factor"),
              llama3Factor(p, "low_freq_factor", Llama3Scaling.DEFAULT_LOW_FREQ_FACTOR, warnings),
              llama3Factor(p, "high_freq_factor", Llama3Scaling.DEFAULT_HIGH_FREQ_FACTOR, warnings),
              scaledOriginal(p, ctx, warnings).value());
        }
        default -> parseLongRope(p, ctx, warnings);
      };
    } catch (FormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw p.error("rope_type", "invalid '" + type + "' parameters: " + e.getMessage());
    }
  }

  /**
   * L of {@code yarn}, {@code llama3} and {@code longrope} as v5 reads it: the top level (or the
   * model class default), else inside the RoPE object, else {@code max_position_embeddings}.
   */
  static Length scaledOriginal(JsonFields p, Context ctx, List<String> warnings) {
    if (ctx.topOriginal() > 0) {
      if (p.has(ORIGINAL) && p.positiveInt(ORIGINAL) != ctx.topOriginal()) {
        warnings.add(
            p.name(ORIGINAL)
                + " = "
                + p.positiveInt(ORIGINAL)
                + " is ignored: transformers v5 reads L = "
                + ctx.topOriginal()
                + " ("
                + ctx.topOriginalFrom()
                + ")");
      }
      return new Length(ctx.topOriginal(), ctx.topOriginalFrom());
    }
    if (p.has(ORIGINAL)) {
      return new Length(p.positiveInt(ORIGINAL), p.name(ORIGINAL));
    }
    if (ctx.maxPositionEmbeddings() > 0) {
      warnings.add(
          "no original_max_position_embeddings (top level or "
              + p.name(ORIGINAL)
              + "): transformers takes L = max_position_embeddings = "
              + ctx.maxPositionEmbeddings());
      return new Length(ctx.maxPositionEmbeddings(), "max_position_embeddings");
    }
    throw p.error(
        ORIGINAL,
        ctx.wholeConfig()
            ? "required: neither it (here or at the top level) nor max_position_embeddings is"
                + " given, and the scaling is defined relative to the original length"
            : "required in a bare RoPE object: the scaling is defined relative to the original"
                + " length");
  }

  /**
   * Dynamic NTK's L: transformers (v4 and v5) always takes {@code max_position_embeddings}; only a
   * bare object, with no top level, reads {@code original_max_position_embeddings} inside it.
   */
  private static int dynamicOriginal(JsonFields p, Context ctx, List<String> warnings) {
    int max = ctx.maxPositionEmbeddings();
    if (max > 0) {
      int other = p.has(ORIGINAL) ? p.positiveInt(ORIGINAL) : ctx.topOriginal();
      if (other > 0 && other != max) {
        warnings.add(
            "dynamic: original_max_position_embeddings "
                + other
                + " is ignored: transformers (v4 and v5) takes L = max_position_embeddings = "
                + max);
      }
      return max;
    }
    if (p.has(ORIGINAL)) {
      return p.positiveInt(ORIGINAL);
    }
    if (ctx.topOriginal() > 0) {
      return ctx.topOriginal();
    }
    throw p.error(
        ORIGINAL,
        ctx.wholeConfig()
            ? "required: dynamic NTK takes L from max_position_embeddings, which is not given"
            : "required in a bare RoPE object (L of dynamic NTK)");
  }

  /** YaRN's s: {@code factor}; an explicit null means max_position_embeddings / L (v5). */
  private static double yarnFactor(JsonFields p, Context ctx, int original, List<String> warnings) {
    JsonNode f = p.get("factor");
    if (f != null && f.isNull() && ctx.maxPositionEmbeddings() > 0) {
      double s = (double) ctx.maxPositionEmbeddings() / original;
      warnings.add(
          p.name("factor")
              + " is null: transformers v5 takes max_position_embeddings / L = "
              + s
              + ", v4.57 fails on it");
      return s;
    }
    return p.requiredDouble("factor");
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

  private static LongRopeScaling parseLongRope(JsonFields p, Context ctx, List<String> warnings) {
    warnUnknown(
        p,
        Set.of(
            "factor",
            ORIGINAL,
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
    int original = scaledOriginal(p, ctx, warnings).value();
    double scale;
    if (p.has("factor")) {
      scale = p.requiredDouble("factor");
    } else if (ctx.maxPositionEmbeddings() > 0) {
      scale = (double) ctx.maxPositionEmbeddings() / original;
    } else {
      throw p.error(
          "factor",
          ctx.wholeConfig()
              ? "required when max_position_embeddings is not given"
              : "required in a bare RoPE object (s = L'/L sets the attention scale)");
    }
    MagnitudeScaling magnitude = new MagnitudeScaling.Su();
    if (p.has("attention_factor")) {
      magnitude = new MagnitudeScaling.Constant(p.requiredDouble("attention_factor"));
    }
    if (p.has("magnitude_policy")) {
      // the workbench's policy; an attention_factor beside it is its value spelled for HF
      MagnitudeScaling policy = policy(p, "magnitude_policy");
      double hf = magnitude.scale(scale, original);
      double ours = policy.scale(scale, original);
      if (!p.has("attention_factor") || Math.abs(hf - ours) <= 1e-12 * Math.abs(ours)) {
        magnitude = policy;
      } else {
        warnings.add(
            p.name("magnitude_policy")
                + " "
                + policy.spelling()
                + " (= "
                + ours
                + ") disagrees with "
                + p.name("attention_factor")
                + " = "
                + hf
                + ", which transformers reads; using attention_factor");
      }
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
    if (!(scaling instanceof YarnScaling
        || scaling instanceof Llama3Scaling
        || scaling instanceof LongRopeScaling)) {
      return new ConfigKeys(
          maxPositionEmbeddings,
          originalLength != maxPositionEmbeddings ? originalLength : 0,
          rope);
    }
    int original = scaling.originalLengthOr(originalLength);
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

  /**
   * How transformers v4.57 reads the same config, compared with the v5 reading this parser made:
   * each difference becomes a warning naming the key and both readings.
   */
  static final class V4Rules {
    private V4Rules() {}

    static void compare(
        JsonFields top,
        String v5Key,
        JsonFields v5,
        Context ctx,
        int headDim,
        RopeGeometry geometry,
        RopeScaling scaling,
        List<String> warnings) {
      // v4 reads rope_theta and partial_rotary_factor at the top level only
      double theta4 = top.has("rope_theta") ? top.requiredDouble("rope_theta") : DEFAULT_THETA;
      if (theta4 != geometry.base()) {
        warnings.add(
            differs(
                "rope_theta",
                geometry.base() + " (" + v5Key + ".rope_theta)",
                theta4 + (top.has("rope_theta") ? " (top level)" : " (default)")));
      }
      double partial4 = top.optionalDouble("partial_rotary_factor", 1.0);
      int rotary4 = (int) (headDim * partial4);
      if (rotary4 != geometry.rotaryDim()) {
        warnings.add(
            differs(
                "partial_rotary_factor",
                "rotary dimension " + geometry.rotaryDim() + " (" + v5Key + ")",
                "rotary dimension " + rotary4 + " (top level)"));
      }
      if (!v5Key.equals("rope_scaling")) {
        if (!(scaling instanceof NoScaling)) {
          warnings.add(
              differs(
                  "rope_parameters",
                  "rope_type " + scaling.typeName(),
                  "no RoPE scaling (it reads only rope_scaling)"));
        }
        return;
      }
      if (ctx.modelType().equals("phi3")) {
        Set<String> keys = new HashSet<>();
        v5.keys().forEachRemaining(keys::add);
        if (!keys.equals(PHI3_V4_KEYS)) {
          warnings.add(
              "rope_scaling: transformers v4.57's Phi3Config refuses it (it accepts exactly type,"
                  + " short_factor and long_factor, got "
                  + String.join(", ", new java.util.TreeSet<>(keys))
                  + "); v5 reads it");
          return;
        }
      }
      String type4 = v4Type(v5, ctx);
      if (type4 == null) {
        return; // the missing-type warning already says v4 refuses it
      }
      String type5 = scaling.typeName();
      if (!type4.equals(type5)) {
        warnings.add(
            differs(
                "type / rope_type",
                "rope_type '" + type5 + "'",
                "type '" + type4 + "' (v4 copies type over rope_type)"));
        return;
      }
      switch (type5) {
        case "yarn" -> {
          Length l4 =
              v5.has(ORIGINAL)
                  ? new Length(v5.positiveInt(ORIGINAL), v5.name(ORIGINAL))
                  : new Length(ctx.maxPositionEmbeddings(), "max_position_embeddings");
          compareOriginal(v5, ctx, scaling.originalLengthOr(0), l4, warnings);
        }
        case "llama3" -> {
          if (!v5.has(ORIGINAL)) {
            warnings.add(
                differs(
                    ORIGINAL,
                    "L = " + scaling.originalLengthOr(0) + " (" + from5(v5, ctx) + ")",
                    "nothing: it requires " + v5.name(ORIGINAL) + " and refuses the config"));
          } else {
            compareOriginal(
                v5,
                ctx,
                scaling.originalLengthOr(0),
                new Length(v5.positiveInt(ORIGINAL), v5.name(ORIGINAL)),
                warnings);
          }
        }
        case "longrope" -> compareLongRope(v5, ctx, (LongRopeScaling) scaling, warnings);
        default -> {
          // none, linear, ntk, dynamic: both versions read the same keys
        }
      }
    }

    /**
     * v4's type: {@code type} overwrites {@code rope_type} (and Phi-3 reads {@code yarn} as
     * longrope); null when neither is given.
     */
    private static String v4Type(JsonFields p, Context ctx) {
      String t = p.has("type") ? p.optionalString("type") : p.optionalString("rope_type");
      if (t == null) {
        return null;
      }
      try {
        t = RopeNames.type(t);
      } catch (IllegalArgumentException e) {
        return t;
      }
      return ctx.modelType().equals("phi3") && t.equals("yarn") ? "longrope" : t;
    }

    private static String from5(JsonFields p, Context ctx) {
      if (ctx.topOriginal() > 0) {
        return ctx.topOriginalFrom();
      }
      return p.has(ORIGINAL) ? p.name(ORIGINAL) : "max_position_embeddings";
    }

    /** A warning when v4's L differs from v5's. */
    private static void compareOriginal(
        JsonFields p, Context ctx, int l5, Length l4, List<String> warnings) {
      if (l4.value() != l5) {
        warnings.add(
            differs(
                ORIGINAL,
                "L = " + l5 + " (" + from5(p, ctx) + ")",
                "L = " + l4.value() + " (" + l4.from() + ")"));
      }
    }

    /**
     * v4's longrope: L from the top level (or the model class default), else {@code
     * max_position_embeddings}; factor {@code max_position_embeddings / L} whenever a top-level L
     * exists, else {@code factor}.
     */
    private static void compareLongRope(
        JsonFields p, Context ctx, LongRopeScaling l, List<String> warnings) {
      int max = ctx.maxPositionEmbeddings();
      Length l4 =
          ctx.topOriginal() > 0
              ? new Length(ctx.topOriginal(), ctx.topOriginalFrom())
              : new Length(max, "max_position_embeddings");
      compareOriginal(p, ctx, l.originalLength(), l4, warnings);
      double a5 = hfAttention(p, l.scale(), l.originalLength());
      String factor4From;
      double factor4;
      if (ctx.topOriginal() > 0 && max > 0) {
        factor4 = (double) max / ctx.topOriginal();
        factor4From = "max_position_embeddings / L";
      } else if (p.has("factor")) {
        factor4 = p.requiredDouble("factor");
        factor4From = p.name("factor");
      } else {
        if (!p.has("attention_factor")) {
          warnings.add(
              differs(
                  "factor",
                  "s = " + l.scale() + " (max_position_embeddings / L)",
                  "nothing: without a top-level L or a factor it cannot compute the attention"
                      + " scale and fails"));
        }
        return;
      }
      double a4 = hfAttention(p, factor4, l4.value());
      if (Math.abs(a4 - a5) > 1e-9) {
        warnings.add(
            String.format(
                Locale.ROOT,
                "longrope attention scale: transformers v5 gives %.6f (s = %s from %s, L = %d),"
                    + " v4.57 gives %.6f (s = %s from %s, L = %d); the v5 reading is used",
                a5,
                l.scale(),
                p.has("factor") ? p.name("factor") : "max_position_embeddings / L",
                l.originalLength(),
                a4,
                factor4,
                factor4From,
                l4.value()));
      }
    }

    /** HF's longrope attention scale: {@code attention_factor}, else √(1 + ln s / ln L). */
    static double hfAttention(JsonFields p, double s, int original) {
      if (p.has("attention_factor")) {
        return p.requiredDouble("attention_factor");
      }
      return new MagnitudeScaling.Su().scale(s, original);
    }

    private static String differs(String key, String v5, String v4) {
      return key
          + ": transformers v5 reads "
          + v5
          + ", v4.57 reads "
          + v4
          + "; the v5 reading is used";
    }
  }
}
