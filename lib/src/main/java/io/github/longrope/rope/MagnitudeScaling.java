package io.github.longrope.rope;

import java.util.Locale;

/**
 * LongRoPE's attention-scale ("mscale") policy: the factor multiplied into cos and sin, so that q·k
 * logits grow by its square. Computed once from the configured scale s = L′/L and the original
 * length L, never from the current sequence length (official {@code main} behaviour).
 */
public sealed interface MagnitudeScaling
    permits MagnitudeScaling.Su, MagnitudeScaling.Yarn, MagnitudeScaling.Constant {

  /** The attention scale for length scale {@code s} and original length {@code L}. */
  double scale(double s, int originalLength);

  /** The spelling used in configs and on the command line: {@code su}, {@code yarn} or a number. */
  String spelling();

  /** {@code sqrt(1 + ln s / ln L)} for s &gt; 1, else 1 (LongRoPE and HF {@code longrope}). */
  record Su() implements MagnitudeScaling {
    @Override
    public double scale(double s, int originalLength) {
      return s <= 1 ? 1.0 : Math.sqrt(1 + Math.log(s) / Math.log(originalLength));
    }

    @Override
    public String spelling() {
      return "su";
    }
  }

  /** {@code 0.1·ln s + 1} for s &gt; 1, else 1 (YaRN's temperature). */
  record Yarn() implements MagnitudeScaling {
    @Override
    public double scale(double s, int originalLength) {
      return s <= 1 ? 1.0 : 0.1 * Math.log(s) + 1;
    }

    @Override
    public String spelling() {
      return "yarn";
    }
  }

  /** A fixed attention factor (HF {@code attention_factor}, {@code short_mscale}, ...). */
  record Constant(double value) implements MagnitudeScaling {
    public Constant {
      Checks.positiveFinite(value, "attention scale");
    }

    @Override
    public double scale(double s, int originalLength) {
      return value;
    }

    @Override
    public String spelling() {
      return Double.toString(value);
    }
  }

  /**
   * Parses {@code su}, {@code yarn}, {@code none}/{@code non} (= 1.0, as the old LongRoPE branch)
   * or a positive number.
   */
  static MagnitudeScaling parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "su":
        return new Su();
      case "yarn":
        return new Yarn();
      case "none":
      case "non":
        return new Constant(1.0);
      default:
        try {
          return new Constant(Double.parseDouble(t));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "attention-scale policy must be 'su', 'yarn', 'none' or a number, got '" + text + "'",
              e);
        }
    }
  }
}
