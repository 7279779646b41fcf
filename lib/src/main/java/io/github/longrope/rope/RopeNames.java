package io.github.longrope.rope;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * Every name a RoPE setting goes by, resolved here and nowhere else: the {@code rope_type} of a
 * config.json and of {@code --type} (with their aliases), the seeds a search starts from ({@code
 * init}, {@code longrope seed --kind}), and the methods a comparison table lists ({@code
 * baselines}, {@code methods}). Keeping them in one place is what makes {@code pi} mean the same
 * thing on the command line, in a config file and in an evaluation plan.
 *
 * <p>Three families, since they answer three questions:
 *
 * <ul>
 *   <li>{@link #type}: which variant a checkpoint or flag set describes (HF's spelling, aliases
 *       {@code none} → {@code default}, {@code pi} → {@code linear}, {@code su} → {@code
 *       longrope});
 *   <li>{@link #seed}: a factor vector λ for scale s (what a search starts from);
 *   <li>{@link #method}: a whole variant as a function of s (a row of a comparison table).
 * </ul>
 */
public final class RopeNames {
  private RopeNames() {}

  /** HF {@code rope_type} values, canonical spelling. */
  public static final List<String> TYPES =
      List.of("default", "linear", "ntk", "dynamic", "yarn", "llama3", "longrope");

  /** Alias → canonical type. */
  private static final Map<String, String> TYPE_ALIASES =
      Map.of("none", "default", "pi", "linear", "su", "longrope");

  /** Seed names for {@link #seed}. */
  public static final List<String> SEEDS =
      List.of("pi", "ntk", "yarn", "yarn-exact", "ones", "critical-dim");

  /** Method names for {@link #method} (aliases: {@code default}, {@code linear}). */
  public static final List<String> METHODS =
      List.of("none", "pi", "ntk", "yarn", "longrope-yarn-seed", "longrope-yarn-exact");

  /**
   * The canonical HF type of a name (case-insensitive; aliases resolved).
   *
   * @throws IllegalArgumentException naming the known types
   */
  public static String type(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    String t = TYPE_ALIASES.getOrDefault(n, n);
    if (!TYPES.contains(t)) {
      throw new IllegalArgumentException(
          "unknown RoPE type '"
              + name
              + "'; known: "
              + String.join(", ", TYPES)
              + " (aliases: none, pi, su)");
    }
    return t;
  }

  /**
   * A named seed λ for scale s ≥ 1 (one shared row).
   *
   * @param originalLength L, for the YaRN ramp and the critical dimension (unused by the others)
   * @param betaFast YaRN β_fast
   * @param betaSlow YaRN β_slow
   */
  public static FactorTable seed(
      String name,
      RopeGeometry geometry,
      double scale,
      int originalLength,
      double betaFast,
      double betaSlow) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "pi" -> FactorSeeds.pi(geometry, scale);
      case "ntk" -> FactorSeeds.ntk(geometry, scale);
      case "yarn" ->
          FactorSeeds.yarnSeed(geometry, yarn(scale, originalLength, betaFast, betaSlow));
      case "yarn-exact" ->
          FactorSeeds.yarnExact(geometry, yarn(scale, originalLength, betaFast, betaSlow));
      case "ones" -> FactorTable.ones(geometry.pairs());
      case "critical-dim" -> new CriticalDimension(geometry, originalLength).seed(scale);
      default ->
          throw new IllegalArgumentException(
              "unknown seed '" + name + "'; known: " + String.join(", ", SEEDS));
    };
  }

  /** Whether a seed needs the original length L (the YaRN ramp, the critical dimension). */
  public static boolean seedNeedsOriginalLength(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.startsWith("yarn") || n.equals("critical-dim");
  }

  private static YarnScaling yarn(double s, int original, double betaFast, double betaSlow) {
    return new YarnScaling(
        s, original, betaFast, betaSlow, true, Double.NaN, Double.NaN, Double.NaN);
  }

  /**
   * A named method as a function of the length scale s = L′/L; at s ≤ 1 every method is the
   * unscaled RoPE (nothing to extend).
   */
  public static DoubleFunction<RopeScaling> method(
      String name, RopeGeometry geometry, int originalLength) {
    DoubleFunction<RopeScaling> f =
        switch (name.toLowerCase(Locale.ROOT)) {
          case "none", "default" -> s -> new NoScaling();
          case "pi", "linear" -> LinearScaling::new;
          case "ntk" -> NtkScaling::new;
          case "yarn" -> s -> YarnScaling.of(s, originalLength);
          case "longrope-yarn-seed" ->
              s ->
                  LongRopeScaling.of(
                      FactorSeeds.yarnSeed(geometry, YarnScaling.of(s, originalLength)),
                      originalLength,
                      s);
          case "longrope-yarn-exact" ->
              s ->
                  LongRopeScaling.of(
                      FactorSeeds.yarnExact(geometry, YarnScaling.of(s, originalLength)),
                      originalLength,
                      s);
          default ->
              throw new IllegalArgumentException(
                  "unknown method '" + name + "'; known: " + String.join(", ", METHODS));
        };
    return s -> s <= 1 ? new NoScaling() : f.apply(s);
  }

  /** The named methods, in order. */
  public static Map<String, DoubleFunction<RopeScaling>> methods(
      List<String> names, RopeGeometry geometry, int originalLength) {
    Map<String, DoubleFunction<RopeScaling>> m = new LinkedHashMap<>();
    for (String n : names) {
      m.put(n, method(n, geometry, originalLength));
    }
    return m;
  }
}
