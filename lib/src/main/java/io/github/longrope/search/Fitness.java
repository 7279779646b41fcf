package io.github.longrope.search;

/**
 * The objective of the search: a candidate in, a number out, lower is better (a perplexity). A
 * non-finite value (a diverged perplexity) ranks worst.
 *
 * <p>Implementations need not be thread-safe: a parallel {@link Evaluator} gives each worker its
 * own instance (for example one model per device). They should be deterministic, so that a resumed
 * run, which reads earlier values from its history, follows the same path as an uninterrupted one.
 */
@FunctionalInterface
public interface Fitness {
  double evaluate(Candidate candidate);
}
