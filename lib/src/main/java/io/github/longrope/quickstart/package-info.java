/**
 * The README's main job: {@code longrope quickstart}. One call that prepares the data if missing,
 * runs a reduced-budget LongRoPE search on the bundled model, compares the found factors with the
 * classic baselines across lengths and writes tables, charts and an HF export. Everything it does
 * is the pipeline's ({@code pipeline.Pipeline}), run with a preset built from the quickstart's
 * config (no fine-tune, a flat output folder, a README); the point is a first result on a fresh
 * machine in minutes, stated as what it is: a small budget on a small model.
 */
package io.github.longrope.quickstart;
