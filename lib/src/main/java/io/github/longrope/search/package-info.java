/**
 * The LongRoPE evolution search (docs/method.md, "Evolution search"): a pure loop ({@link
 * io.github.longrope.search.EvolutionSearch}) over a batch {@link
 * io.github.longrope.search.Evaluator} of {@link io.github.longrope.search.Fitness} callbacks and
 * one seeded random source; the {@code dim_mono} and {@code dim_piece_mono} operators, the n̂
 * search, auto-rescale; versioned hyper-parameters ({@link
 * io.github.longrope.search.SearchConfig}); and the resumable run directory ({@link
 * io.github.longrope.search.RunRecord}). Fitness functions that run a model live in {@code
 * search.fitness}.
 *
 * <p>Allowed dependencies: {@code rope}, the JDK; JSON (Jackson and the DJL-free {@code io}
 * helpers) only in the run-record and config classes.
 */
package io.github.longrope.search;
