/**
 * LongRoPE's five-stage progressive extension as one library call ({@link
 * io.github.longrope.pipeline.Pipeline#run}) and one command ({@code longrope pipeline}): long
 * search, fine-tune, relative search, short search, export, then a perplexity table. It composes
 * {@code search.run.SearchJob}, {@code train.Trainer}, {@code io.HfModel} and {@code eval}; it adds
 * only the wiring between stages, the versioned config, and stage-level resume.
 *
 * <p>Allowed dependencies: every library package except {@code cli}; Jackson, Tablesaw.
 */
package io.github.longrope.pipeline;
