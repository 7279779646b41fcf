package io.github.longrope.search;

import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.rope.RopeNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The initial individuals of the search (docs/method.md, "Initial population"): known scalings
 * written as λ — {@code pi} (λ = s), {@code ntk} (λᵢ = s^(2i/(d−2))), {@code yarn} (the official
 * seed, λ = 1 + (s − 1)·ramp), {@code yarn-exact} (λ = 1/(1 − r + r/s)), {@code ones} (no scaling)
 * — or a factor file.
 *
 * <p>A non-monotone seed (a published file can be) is repaired with a running maximum, as the
 * research branch does for recovered populations, and reported: {@code dim_mono} could otherwise
 * never produce a valid child from it.
 */
public final class InitialFactors {
  private InitialFactors() {}

  /** One named initial individual. */
  public record Seed(String name, double[] factors) {
    public Seed {
      factors = factors.clone();
    }

    @Override
    public double[] factors() {
      return factors.clone();
    }
  }

  /** Seeds and the warnings a user should see. */
  public record Seeds(List<Seed> seeds, List<String> warnings) {
    public Seeds {
      seeds = List.copyOf(seeds);
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * The seeds named by a config, in its order.
   *
   * @param scale the search scale s (values below 1 use 1: a short-factor search starts at λ = 1)
   * @param originalLength L, for the YaRN ramp
   * @param betaFast YaRN β_fast when the config gives none
   * @param betaSlow YaRN β_slow when the config gives none
   * @param file the {@code file} source's factors, or null
   */
  public static Seeds resolve(
      SearchConfig config,
      RopeGeometry geometry,
      double scale,
      int originalLength,
      double betaFast,
      double betaSlow,
      FactorTable file) {
    List<Seed> seeds = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    double bf = config.yarnBetaFast() == null ? betaFast : config.yarnBetaFast();
    double bs = config.yarnBetaSlow() == null ? betaSlow : config.yarnBetaSlow();
    for (String name : config.init()) {
      double[] lambda =
          name.equals("file")
              ? fileSeed(file, geometry.pairs())
              : RopeNames.seed(name, geometry, Math.max(1, scale), originalLength, bf, bs).row(0);
      double[] repaired = monotone(lambda);
      if (!Arrays.equals(repaired, lambda)) {
        warnings.add(
            "init '"
                + name
                + "' is not monotone; repaired with a running maximum (λᵢ = max(λᵢ₋₁, λᵢ))");
      }
      seeds.add(new Seed(name, repaired));
    }
    return new Seeds(seeds, warnings);
  }

  private static double[] fileSeed(FactorTable file, int pairs) {
    if (file == null) {
      throw new IllegalArgumentException("init source 'file' needs a factor file");
    }
    if (file.width() != pairs) {
      throw new IllegalArgumentException(
          "the init factor file has " + file.width() + " factors per row, expected d/2 = " + pairs);
    }
    double[] first = file.row(0);
    for (int r = 1; r < file.layers(); r++) {
      if (!Arrays.equals(file.row(r), first)) {
        throw new IllegalArgumentException(
            "the init factor file has different rows per layer; the search needs one shared"
                + " vector of d/2 factors");
      }
    }
    return first;
  }

  /** λᵢ = max(λᵢ₋₁, λᵢ). */
  static double[] monotone(double[] lambda) {
    double[] out = lambda.clone();
    for (int i = 1; i < out.length; i++) {
      out[i] = Math.max(out[i - 1], out[i]);
    }
    return out;
  }
}
