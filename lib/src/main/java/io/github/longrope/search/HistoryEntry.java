package io.github.longrope.search;

/**
 * One line of {@code history.jsonl}: an evaluated candidate.
 *
 * @param generation −1 auto-rescale, 0 initial population, 1…T iterations
 * @param fitness +∞ for a non-finite value (written as null); for a rejected candidate the partial
 *     fitness of the windows it ran
 * @param seconds wall time of the evaluation
 * @param tokens tokens forwarded (−1: not recorded, a history written before accounting)
 * @param rejected stopped early by racing ({@link Racing})
 * @param bound a rejected candidate's lower bound on its full fitness (NaN otherwise)
 * @param losses per-window losses of a staged fitness (empty when not recorded)
 */
public record HistoryEntry(
    int generation,
    Candidate candidate,
    double fitness,
    double seconds,
    long tokens,
    boolean rejected,
    double bound,
    double[] losses) {

  public HistoryEntry {
    losses = losses == null ? new double[0] : losses.clone();
  }

  /** A fully evaluated candidate whose cost is not known. */
  public HistoryEntry(int generation, Candidate candidate, double fitness, double seconds) {
    this(generation, candidate, fitness, seconds, -1, false, Double.NaN, null);
  }

  /** The line of an evaluation. */
  public static HistoryEntry of(int generation, Candidate c, Evaluation e, double seconds) {
    return new HistoryEntry(
        generation, c, e.fitness(), seconds, e.tokens(), e.rejected(), e.bound(), e.losses());
  }

  /** The evaluation a line stands for. */
  public Evaluation evaluation() {
    return new Evaluation(fitness, Math.max(0, tokens), losses, rejected, bound);
  }

  @Override
  public double[] losses() {
    return losses.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistoryEntry h
        && generation == h.generation
        && candidate.equals(h.candidate)
        && Double.compare(fitness, h.fitness) == 0
        && Double.compare(seconds, h.seconds) == 0
        && tokens == h.tokens
        && rejected == h.rejected
        && Double.compare(bound, h.bound) == 0
        && java.util.Arrays.equals(losses, h.losses);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(generation, candidate, fitness, tokens, rejected)
        + 31 * java.util.Arrays.hashCode(losses);
  }

  @Override
  public String toString() {
    return "HistoryEntry[generation="
        + generation
        + ", "
        + candidate
        + ", fitness="
        + fitness
        + ", seconds="
        + seconds
        + ", tokens="
        + tokens
        + (rejected ? ", rejected, bound=" + bound : "")
        + ", losses="
        + java.util.Arrays.toString(losses)
        + "]";
  }
}
