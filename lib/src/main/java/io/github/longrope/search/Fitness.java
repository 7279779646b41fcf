package io.github.longrope.search;

/**
 * The objective of the search: a candidate in, a number out, lower is better (a perplexity). A
 * non-finite value (a diverged perplexity) ranks worst.
 *
 * <p>Implementations need not be thread-safe: a parallel {@link Evaluator} gives each worker its
 * own instance (for example one model per device). They should be deterministic, so that a resumed
 * run, which reads earlier values from its history, follows the same path as an uninterrupted one.
 *
 * <p>A fitness that can say what an evaluation cost overrides {@link #measure} (tokens forwarded);
 * one that can be stopped early implements {@link StagedFitness}.
 */
@FunctionalInterface
public interface Fitness {
  double evaluate(Candidate candidate);

  /** The fitness and what it cost; the default knows only the fitness. */
  default Evaluation measure(Candidate candidate) {
    return Evaluation.of(evaluate(candidate));
  }
}
