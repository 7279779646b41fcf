package io.github.longrope.search;

/**
 * Where a search stands.
 *
 * @param generation current generation (−1 auto-rescale, 0 initial, 1…T)
 * @param generations T
 * @param evaluated candidates evaluated in this session
 * @param cached candidates whose fitness came from the cache (a resumed run's history)
 * @param expected an estimate of all candidates the run will visit
 * @param bestFitness best fitness so far (+∞ before the first)
 * @param evaluationsPerSecond fresh evaluations per second of wall time in this session
 * @param etaSeconds estimated seconds left (NaN before the first evaluation)
 */
public record SearchProgress(
    int generation,
    int generations,
    long evaluated,
    long cached,
    long expected,
    double bestFitness,
    double evaluationsPerSecond,
    double etaSeconds) {

  /** Candidates visited so far, evaluated or cached. */
  public long done() {
    return evaluated + cached;
  }
}
