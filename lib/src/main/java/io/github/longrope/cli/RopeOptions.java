package io.github.longrope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.FactorFile;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.Llama3Scaling;
import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.rope.RopeNames;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The RoPE flags, declared once and included (as an argument group) in every command that runs a
 * model ({@code rope} now; {@code ppl}, {@code passkey}, ... later). Type names are HF's; {@code
 * ntk} is static NTK-aware, {@code none} = {@code default}. Given flags override a checkpoint's own
 * {@code rope_scaling}; the original length defaults to the checkpoint's.
 */
public final class RopeOptions {
  @Option(names = "--type", paramLabel = "TYPE")
  String type;

  @Option(names = "--factor", paramLabel = "S")
  Double factor;

  @Option(names = "--original-length", paramLabel = "L")
  Integer originalLength;

  @Option(names = "--target-length", paramLabel = "L'")
  Integer targetLength;

  @Option(names = "--factors", paramLabel = "FILE")
  Path factorsFile;

  @Option(names = "--factor-values", paramLabel = "λ0,λ1,...", split = ",")
  double[] factorValues;

  @Option(names = "--compose-factors", paramLabel = "FILE")
  Path composeFile;

  @Option(names = "--short-factors", paramLabel = "FILE")
  Path shortFactorsFile;

  @Option(names = "--start-tokens", paramLabel = "N")
  Integer startTokens;

  @Option(names = "--mscale", paramLabel = "POLICY")
  String mscale;

  @Option(names = "--short-mscale", paramLabel = "POLICY")
  String shortMscale;

  @Option(names = "--dynamic")
  boolean dynamic;

  @Option(names = "--beta-fast", paramLabel = "B")
  Double betaFast;

  @Option(names = "--beta-slow", paramLabel = "B")
  Double betaSlow;

  @Option(names = "--no-truncate")
  boolean noTruncate;

  @Option(names = "--low-freq-factor", paramLabel = "X")
  Double lowFreqFactor;

  @Option(names = "--high-freq-factor", paramLabel = "X")
  Double highFreqFactor;

  /** True when a variant is given by flags (and so overrides a checkpoint's own). */
  public boolean given() {
    return type != null;
  }

  /**
   * The variant the flags describe. The flags become one HF {@code rope_scaling} object (the
   * workbench's extensions included) and go through the same parser as a config.json or an
   * evaluation plan ({@link HfRopeConfig#parseScaling}), so a setting means the same thing, with
   * the same defaults and checks, whichever way it is written. What the parser cannot know is
   * checked here first, with messages that name the flags: which flags a type needs, and the factor
   * files (read, checked against d/2, composed).
   *
   * @param pairs d/2, to check factor files against
   * @param defaultOriginalLength the checkpoint's original length, or 0 if unknown
   * @param warnings receives messages about factor files (non-monotone) and ignored flags
   */
  public RopeScaling resolve(int pairs, int defaultOriginalLength, List<String> warnings) {
    String t = type == null ? "default" : Flags.named("--type", () -> RopeNames.type(type));
    ObjectNode o = Json.MAPPER.createObjectNode().put("rope_type", t);
    switch (t) {
      case "default" -> ignored(warnings, t, "--factor", factor, "--factors", factorsFile);
      case "linear", "ntk" -> o.put("factor", required(factor, "--factor", t));
      case "dynamic", "llama3" -> {
        o.put("factor", required(factor, "--factor", t));
        o.put(ORIGINAL, original(defaultOriginalLength, t));
        if (t.equals("llama3")) {
          // the flags' defaults are Llama 3.1's, stated (a file must state them for transformers)
          o.put(
              "low_freq_factor",
              lowFreqFactor == null ? Llama3Scaling.DEFAULT_LOW_FREQ_FACTOR : lowFreqFactor);
          o.put(
              "high_freq_factor",
              highFreqFactor == null ? Llama3Scaling.DEFAULT_HIGH_FREQ_FACTOR : highFreqFactor);
        }
      }
      case "yarn" -> yarn(o, defaultOriginalLength);
      case "longrope" -> longRope(o, pairs, defaultOriginalLength, warnings);
      default -> throw new IllegalStateException(t);
    }
    return HfRopeConfig.parseScaling(o, pairs, "the RoPE flags (--type " + t + ")");
  }

  private static final String ORIGINAL = "original_max_position_embeddings";

  private void yarn(ObjectNode o, int defaultOriginalLength) {
    o.put("factor", required(factor, "--factor", "yarn"));
    o.put(ORIGINAL, original(defaultOriginalLength, "yarn"));
    putIfGiven(o, "beta_fast", betaFast);
    putIfGiven(o, "beta_slow", betaSlow);
    if (noTruncate) {
      o.put("truncate", false);
    }
    if (mscale != null) {
      try {
        o.put("attention_factor", Double.parseDouble(mscale));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--mscale: for yarn give a number (the attention factor), got '" + mscale + "'", e);
      }
    }
  }

  private void longRope(ObjectNode o, int pairs, int defaultOriginalLength, List<String> warnings) {
    int original = original(defaultOriginalLength, "longrope");
    FactorTable lambda;
    if (factorsFile != null) {
      lambda = read(factorsFile, pairs, warnings);
    } else if (factorValues != null) {
      lambda = FactorTable.of(factorValues);
      if (lambda.width() != pairs) {
        throw new IllegalArgumentException(
            "--factor-values: got " + lambda.width() + " values, expected d/2 = " + pairs);
      }
      lambda.firstDecrease().ifPresent(d -> warnings.add("--factor-values are not monotone: " + d));
    } else {
      throw new IllegalArgumentException("--type longrope needs --factors FILE or --factor-values");
    }
    if (composeFile != null) {
      lambda = lambda.times(read(composeFile, pairs, warnings));
    }
    FactorTable shortFactors =
        shortFactorsFile == null ? lambda : read(shortFactorsFile, pairs, warnings);
    if (factor != null) {
      o.put("factor", factor);
    } else if (targetLength != null) {
      o.put("factor", (double) targetLength / original);
    } else {
      throw new IllegalArgumentException(
          "--type longrope needs --factor S or --target-length L' (the attention scale depends on s)");
    }
    o.put(ORIGINAL, original);
    o.set("long_factor", Json.factors(lambda));
    o.set("short_factor", Json.factors(shortFactors));
    putIfGiven(o, "start_tokens", startTokens);
    putPolicy(o, "magnitude_policy", "--mscale", mscale);
    putPolicy(o, "short_magnitude_policy", "--short-mscale", shortMscale);
    if (dynamic) {
      o.put("dynamic", true);
    }
  }

  /** A factor file checked against d/2; its warnings (non-monotone) go to {@code warnings}. */
  private static FactorTable read(Path file, int pairs, List<String> warnings) {
    FactorFile.Loaded loaded = FactorFile.read(file, pairs);
    warnings.addAll(loaded.warnings());
    return loaded.table();
  }

  /** A magnitude policy flag, checked here so that its error names the flag. */
  private static void putPolicy(ObjectNode o, String key, String flag, String text) {
    if (text == null) {
      return;
    }
    Flags.named(flag, () -> MagnitudeScaling.parse(text));
    o.put(key, text);
  }

  private static void putIfGiven(ObjectNode o, String key, Number value) {
    if (value != null) {
      o.put(key, value.doubleValue());
    }
  }

  private int original(int fallback, String t) {
    if (originalLength != null) {
      return originalLength;
    }
    if (fallback > 0) {
      return fallback;
    }
    throw new IllegalArgumentException("--type " + t + " needs --original-length L");
  }

  private static double required(Double value, String flag, String t) {
    if (value == null) {
      throw new IllegalArgumentException("--type " + t + " needs " + flag);
    }
    return value;
  }

  private static void ignored(List<String> warnings, String t, Object... flagValuePairs) {
    for (int i = 0; i < flagValuePairs.length; i += 2) {
      if (flagValuePairs[i + 1] != null) {
        warnings.add(flagValuePairs[i] + " is ignored by --type " + t);
      }
    }
  }
}
