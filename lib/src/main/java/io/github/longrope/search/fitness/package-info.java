/**
 * Fitness functions that run a decoder: {@link PerplexityFitness} (perplexity at the target length,
 * the official search setting) and {@link NeedleFitness} (LongRoPE2's needle-driven perplexity).
 * {@code search.run.SearchJob} picks one per run.
 *
 * <p>Allowed dependencies: {@code search}, {@code rope}, {@code eval}, {@code model}, {@code data},
 * {@code io}, DJL (through {@code model}). Nothing in {@code search} itself depends on this
 * package.
 */
package io.github.longrope.search.fitness;
