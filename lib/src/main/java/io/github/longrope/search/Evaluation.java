package io.github.longrope.search;

/**
 * What one evaluation of a candidate gave and cost.
 *
 * @param fitness the fitness; for a rejected candidate the partial value (of the stages it ran),
 *     never to be read as its full fitness
 * @param tokens tokens forwarded through the model (0 when the fitness does not say)
 * @param losses the loss of each stage run, in order (a {@link StagedFitness}), else empty
 * @param rejected stopped early by racing: it cannot enter the parents under the stated bound
 * @param bound a rejected candidate's lower bound on its full fitness (≥ the survival threshold);
 *     NaN otherwise
 */
public record Evaluation(
    double fitness, long tokens, double[] losses, boolean rejected, double bound) {
  private static final double[] NONE = new double[0];

  public Evaluation {
    losses = losses == null ? NONE : losses.clone();
  }

  /** A full evaluation that reports neither tokens nor stages. */
  public static Evaluation of(double fitness) {
    return new Evaluation(fitness, 0, NONE, false, Double.NaN);
  }

  /** A full evaluation. */
  public static Evaluation full(double fitness, long tokens, double[] losses) {
    return new Evaluation(fitness, tokens, losses, false, Double.NaN);
  }

  @Override
  public double[] losses() {
    return losses.clone();
  }

  /** The value the search ranks this candidate by: its fitness, or its bound when rejected. */
  public double rank() {
    return rejected ? bound : fitness;
  }

  /** The same with a non-finite fitness ranking worst. */
  Evaluation sanitized() {
    return Double.isNaN(fitness)
        ? new Evaluation(Double.POSITIVE_INFINITY, tokens, losses, rejected, bound)
        : this;
  }
}
