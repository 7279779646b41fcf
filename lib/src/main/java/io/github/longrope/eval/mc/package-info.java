/**
 * Short-context benchmarks: multiple choice scored by log-likelihood in the style of the Open LLM
 * benchmark ({@link io.github.longrope.eval.mc.McTask} reads ARC-Challenge, HellaSwag, MMLU and
 * TruthfulQA jsonl in their public layouts, {@link io.github.longrope.eval.mc.McEval} scores them),
 * and {@link io.github.longrope.eval.mc.ClozeBuilder}, a held-out "true next sentence" set built
 * from the project's evaluation texts.
 *
 * <p>Allowed dependencies: {@code eval} (the text codec), {@code model}, {@code rope}, {@code io},
 * {@code report} (tables from records), Tablesaw, Jackson.
 */
package io.github.longrope.eval.mc;
