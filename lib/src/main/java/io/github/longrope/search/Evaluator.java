package io.github.longrope.search;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Evaluates one generation's candidates as a batch, so that several workers (devices, and later a
 * distributed engine) can share it without the search loop knowing. Results come back in batch
 * order and must not depend on the number of workers.
 *
 * <p>Cancellation: an implementation checks the calling thread's interrupt flag at every candidate
 * boundary; when it is set, it lets candidates already running finish (reporting them), clears the
 * flag and throws {@link CancellationException}.
 */
public interface Evaluator extends AutoCloseable {

  /** Called once per finished candidate, on the calling thread, in completion order. */
  @FunctionalInterface
  interface Listener {
    void evaluated(int index, Candidate candidate, double fitness, double seconds);

    /**
     * The same with what the evaluation cost and whether racing stopped it; an evaluator that knows
     * calls this one (the default forwards the fitness).
     */
    default void evaluated(int index, Candidate candidate, Evaluation evaluation, double seconds) {
      evaluated(index, candidate, evaluation.fitness(), seconds);
    }
  }

  /**
   * Fitness of every candidate under its race ({@link Racing}): a candidate may stop early, and is
   * then reported as rejected with its partial fitness; the array holds {@link Evaluation#rank()}.
   * An evaluator that cannot stop a candidate early ignores the races (every candidate runs in
   * full, as its fitness reports): it stays correct, only without the savings.
   *
   * @throws CancellationException when the calling thread was interrupted
   */
  double[] evaluate(List<Candidate> batch, List<Racing.Race> races, Listener listener);

  /** Fitness of every candidate, in order, each evaluated in full. */
  default double[] evaluate(List<Candidate> batch, Listener listener) {
    return evaluate(batch, Collections.nCopies(batch.size(), Racing.Race.NONE), listener);
  }

  /** {@link #evaluate(List, Listener)} without a listener. */
  default double[] evaluate(List<Candidate> batch) {
    return evaluate(batch, (i, c, f, s) -> {});
  }

  /** Number of candidates evaluated at the same time. */
  int workers();

  @Override
  default void close() {}

  /** One fitness on the calling thread. */
  static Evaluator sequential(Fitness fitness) {
    return new SequentialEvaluator(fitness);
  }

  /**
   * Groups of up to {@code size} candidates per forward when the fitness can batch them ({@link
   * StagedFitness#stages(List, int)}); a plain fitness or a size of 1 evaluates one by one.
   */
  static Evaluator batched(Fitness fitness, int size) {
    return size > 1 && fitness instanceof StagedFitness f
        ? new BatchedEvaluator(f, size)
        : new SequentialEvaluator(fitness);
  }

  /** One thread per fitness instance. */
  static Evaluator parallel(List<? extends Fitness> fitnesses) {
    return fitnesses.size() == 1
        ? new SequentialEvaluator(fitnesses.get(0))
        : new ParallelEvaluator(fitnesses);
  }

  /** Stops with a {@link CancellationException} when the current thread was interrupted. */
  static void checkCancelled() {
    if (Thread.interrupted()) {
      throw new CancellationException("search cancelled (thread interrupted)");
    }
  }

  /**
   * What a fitness failure means on the calling thread: a {@link CancellationException} when the
   * thread was interrupted (an interrupt can surface as an I/O error, e.g. {@code
   * ClosedByInterruptException}), else the failure itself.
   */
  static RuntimeException cancellationOr(RuntimeException e) {
    if (e instanceof CancellationException) {
      Thread.interrupted();
      return e;
    }
    boolean interrupted = Thread.interrupted();
    for (Throwable t = e; t != null && !interrupted; t = t.getCause()) {
      interrupted =
          t instanceof InterruptedException
              || t instanceof java.nio.channels.ClosedByInterruptException;
    }
    if (!interrupted) {
      return e;
    }
    CancellationException c = new CancellationException("search cancelled (thread interrupted)");
    c.initCause(e);
    return c;
  }

  /** A non-finite fitness ranks worst. */
  static double sanitize(double fitness) {
    return Double.isNaN(fitness) ? Double.POSITIVE_INFINITY : fitness;
  }
}
