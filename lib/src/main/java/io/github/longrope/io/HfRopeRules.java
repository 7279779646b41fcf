package io.github.longrope.io;

import static io.github.longrope.io.HfRopeConfig.ORIGINAL;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.rope.DynamicNtkScaling;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LinearScaling;
import io.github.longrope.rope.Llama3Scaling;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.NtkScaling;
import io.github.longrope.rope.RopeNames;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.rope.YarnScaling;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The RoPE parameters of a {@code config.json} resolved key by key as transformers v5 resolves
 * them; {@link HfRopeConfig} gives them the top-level facts (maximum length, top-level L, model
 * type) in a {@link Context}, and {@link HfV4Rules} then compares the result with v4.57's reading.
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
 * <p>Every key a variant does not know is named in a warning; a value that cannot be read is a
 * {@link FormatException} naming the key.
 */
final class HfRopeRules {
  private HfRopeRules() {}

  /**
   * What a RoPE object may need from the rest of the config.
   *
   * @param topOriginal the top-level L transformers sees (explicit, or a model class default), or 0
   * @param topOriginalFrom where {@code topOriginal} comes from, for messages
   * @param wholeConfig false for a bare object (no top level at all)
   * @param fallbackOriginal for a bare object: the L to take when the object states none (the
   *     model's own, for a setting written against a checkpoint), or 0 when it must state one
   */
  record Context(
      int pairs,
      int maxPositionEmbeddings,
      int topOriginal,
      String topOriginalFrom,
      String modelType,
      boolean wholeConfig,
      int fallbackOriginal) {}

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

  static RopeScaling parse(JsonFields p, Context ctx, List<String> warnings) {
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
    if (ctx.fallbackOriginal() > 0) {
      return new Length(ctx.fallbackOriginal(), "the model's original length");
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
    if (ctx.fallbackOriginal() > 0) {
      return ctx.fallbackOriginal();
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
}
