/**
 * Where a search starts: {@link SearchSpec} says what to search (model, data, target length, mode,
 * fitness, hyper-parameters) and is the {@code problem} part of a run's config.json; {@link
 * SearchJob} loads the model and data, runs the pure {@code search} loop over one decoder per
 * worker under the run directory's lock and record, and exports the result; {@link SearchReport} is
 * what {@code longrope search} prints of it. The CLI, the pipeline's search stages, the quickstart
 * and the notebooks all build a {@link SearchSpec} and call {@link SearchJob#run}.
 *
 * <p>Allowed dependencies: {@code search}, {@code search.fitness}, {@code rope}, {@code eval},
 * {@code model}, {@code data}, {@code io}, Jackson (the run config), DJL (through {@code model}).
 */
package io.github.longrope.search.run;
