package io.github.longrope.search;

import java.util.List;
import java.util.Objects;

/**
 * Evaluates a generation in groups of up to {@code size} candidates on the calling thread, each
 * group one {@link StagedFitness#stages(List, int)} call per stage: with a fitness that batches
 * (the perplexity fitness does, through {@code model.CandidateBatch}), one forward per window for
 * the whole group instead of one per candidate.
 *
 * <p>Racing works per candidate ({@link Racing#runGroup}): after each stage every candidate still
 * running is checked against its own race, and a rejected one leaves the group for the remaining
 * stages. Results are reported in batch order once their group is done; a candidate's seconds are
 * the group's wall time divided evenly (the forward is shared, so no finer split exists).
 */
final class BatchedEvaluator implements Evaluator {
  private final StagedFitness fitness;
  private final int size;

  BatchedEvaluator(StagedFitness fitness, int size) {
    this.fitness = Objects.requireNonNull(fitness, "fitness");
    if (size < 2) {
      throw new IllegalArgumentException("a batch needs at least 2 candidates, got " + size);
    }
    this.size = size;
  }

  @Override
  public double[] evaluate(List<Candidate> batch, List<Racing.Race> races, Listener listener) {
    double[] out = new double[batch.size()];
    for (int g = 0; g < out.length; g += size) {
      Evaluator.checkCancelled();
      int end = Math.min(out.length, g + size);
      long t0 = System.nanoTime();
      Evaluation[] group;
      try {
        group = Racing.runGroup(fitness, batch.subList(g, end), races.subList(g, end));
      } catch (RuntimeException x) {
        throw Evaluator.cancellationOr(x);
      }
      double seconds = (System.nanoTime() - t0) / 1e9 / (end - g);
      for (int k = 0; k < group.length; k++) {
        Evaluation e = group[k].sanitized();
        out[g + k] = e.rank();
        listener.evaluated(g + k, batch.get(g + k), e, seconds);
      }
    }
    Evaluator.checkCancelled();
    return out;
  }

  @Override
  public int workers() {
    return 1;
  }
}
