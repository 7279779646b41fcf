package io.github.longrope.rope;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Known scalings written as LongRoPE factor vectors λ (docs/method.md, "Initial population"): the
 * seeds of the evolution search's initial population, and helpers that move factors between scales.
 *
 * <p>All seeds are non-decreasing in i, so they are valid {@code dim_mono} individuals.
 */
public final class FactorSeeds {
  private FactorSeeds() {}

  /** PI: λᵢ = s. */
  public static FactorTable pi(RopeGeometry geometry, double scale) {
    double[] lambda = new double[geometry.pairs()];
    Arrays.fill(lambda, Checks.atLeastOne(scale, "scale"));
    return FactorTable.of(lambda);
  }

  /** NTK-aware: λᵢ = s^(2i/(d−2)) (the λ-equivalent of {@link NtkScaling}). */
  public static FactorTable ntk(RopeGeometry geometry, double scale) {
    Checks.atLeastOne(scale, "scale");
    int d = geometry.rotaryDim();
    Checks.require(d > 2, "NTK seed needs a rotary dimension > 2, got %d", d);
    double[] lambda = new double[geometry.pairs()];
    for (int i = 0; i < lambda.length; i++) {
      lambda[i] = Math.pow(scale, 2.0 * i / (d - 2));
    }
    return FactorTable.of(lambda);
  }

  /**
   * The official search's default seed: YaRN's ramp rᵢ blended <em>in λ</em>, λᵢ = 1 + (s − 1)·rᵢ
   * (not true YaRN; agrees with it where rᵢ ∈ {0, 1}).
   */
  public static FactorTable yarnSeed(RopeGeometry geometry, YarnScaling yarn) {
    double[] ramp = yarn.ramp(geometry);
    double[] lambda = new double[ramp.length];
    for (int i = 0; i < ramp.length; i++) {
      lambda[i] = 1 + (yarn.factor() - 1) * ramp[i];
    }
    return FactorTable.of(lambda);
  }

  /**
   * Exact YaRN as factors: λᵢ = 1/(1 − rᵢ + rᵢ/s), with the ramp's end points mapped exactly to 1
   * and s so that rounding cannot break monotonicity.
   */
  public static FactorTable yarnExact(RopeGeometry geometry, YarnScaling yarn) {
    double[] ramp = yarn.ramp(geometry);
    double s = yarn.factor();
    double[] lambda = new double[ramp.length];
    for (int i = 0; i < ramp.length; i++) {
      double r = ramp[i];
      lambda[i] = r == 0 ? 1 : r == 1 ? s : 1 / (1 - r + r / s);
    }
    return FactorTable.of(lambda);
  }

  /**
   * Rescales factors searched for scale {@code from} to scale {@code to}: λ′ = 1 + (λ − 1)·(to −
   * 1)/(from − 1). Used by auto-rescale of init factors (T9) and equal to the dynamic variant's
   * interpolation.
   */
  public static FactorTable rescale(FactorTable factors, double from, double to) {
    Checks.require(from > 1, "source scale must be > 1 to rescale factors, got %s", from);
    Checks.atLeastOne(to, "target scale");
    double k = (to - 1) / (from - 1);
    return factors.map(lambda -> 1 + (lambda - 1) * k);
  }

  /** One row of λ rescaled from scale s to t; the identity (a copy) when t = s. */
  public static double[] rescale(double[] lambda, double s, double t) {
    if (t == s) {
      return lambda.clone();
    }
    return rescale(FactorTable.of(lambda), s, t).row(0);
  }

  /** The scales auto-rescale tries (T9): s, s/2, s/4, … while ≥ 1. */
  public static List<Double> rescaleScales(double s) {
    List<Double> out = new ArrayList<>();
    for (double t = s; t >= 1; t /= 2) {
      out.add(t);
    }
    return out;
  }
}
