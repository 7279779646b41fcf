package io.github.longrope.search;

import java.util.List;
import java.util.Objects;

/** Evaluates a batch one candidate after another on the calling thread. */
final class SequentialEvaluator implements Evaluator {
  private final Fitness fitness;

  SequentialEvaluator(Fitness fitness) {
    this.fitness = Objects.requireNonNull(fitness, "fitness");
  }

  @Override
  public double[] evaluate(List<Candidate> batch, List<Racing.Race> races, Listener listener) {
    double[] out = new double[batch.size()];
    for (int i = 0; i < out.length; i++) {
      Evaluator.checkCancelled();
      long t0 = System.nanoTime();
      Evaluation e;
      try {
        e = Racing.run(fitness, batch.get(i), races.get(i)).sanitized();
      } catch (RuntimeException x) {
        throw Evaluator.cancellationOr(x);
      }
      out[i] = e.rank();
      listener.evaluated(i, batch.get(i), e, (System.nanoTime() - t0) / 1e9);
    }
    Evaluator.checkCancelled();
    return out;
  }

  @Override
  public int workers() {
    return 1;
  }
}
