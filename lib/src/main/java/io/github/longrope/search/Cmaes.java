package io.github.longrope.search;

/**
 * The settings of algorithm {@code cmaes} ({@link CmaesSearch}), the {@code "cmaes"} object of a
 * search config. The number of generations is the config's {@code iterations}.
 *
 * @param population candidates per generation λ (null: 4 + ⌊3 ln n⌋ for n = d/2 factors)
 * @param sigma initial step size σ₀ on log λ, a relative change of about σ₀ (default 0.03)
 */
public record Cmaes(Integer population, Double sigma) {
  public Cmaes {
    SearchConfig.require(
        population == null || population >= 4,
        "cmaes.population",
        "must be >= 4, got " + population);
    SearchConfig.require(
        sigma == null || Double.isFinite(sigma) && sigma > 0,
        "cmaes.sigma",
        "must be a number > 0, got " + sigma);
  }

  /** λ for n factors. */
  public int populationFor(int n) {
    return population != null ? population : 4 + (int) Math.floor(3 * Math.log(n));
  }

  public double sigmaOrDefault() {
    return sigma != null ? sigma : 0.03;
  }
}
