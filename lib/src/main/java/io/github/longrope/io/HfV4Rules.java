package io.github.longrope.io;

import static io.github.longrope.io.HfRopeConfig.DEFAULT_THETA;
import static io.github.longrope.io.HfRopeConfig.ORIGINAL;

import io.github.longrope.io.HfRopeRules.Context;
import io.github.longrope.io.HfRopeRules.Length;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.rope.RopeNames;
import io.github.longrope.rope.RopeScaling;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How transformers v4.57 reads the same config, compared with the v5 reading {@link HfRopeRules}
 * made: each difference (another L, attention scale, type or base, or a refusal) becomes a warning
 * naming the key and both readings. The numbers are always v5's.
 */
final class HfV4Rules {
  private HfV4Rules() {}

  /** The only {@code rope_scaling} keys transformers v4's {@code Phi3Config} accepts. */
  static final Set<String> PHI3_V4_KEYS = Set.of("type", "short_factor", "long_factor");

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
