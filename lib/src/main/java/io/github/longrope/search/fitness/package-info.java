/**
 * The search's model edge: fitness functions that run a decoder ({@link PerplexityFitness}, {@link
 * NeedleFitness}) and {@link SearchJob}, which loads a model directory and data, runs the pure
 * {@code search} loop over one decoder per worker, and exports the result; {@link SearchReport} is
 * what {@code longrope search} prints of it.
 *
 * <p>Allowed dependencies: {@code search}, {@code rope}, {@code eval}, {@code model}, {@code data},
 * {@code io}, Jackson (the run config), DJL (through {@code model}). Nothing in {@code search}
 * itself depends on this package.
 */
package io.github.longrope.search.fitness;
