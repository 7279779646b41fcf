/**
 * The README's main job: {@code longrope quickstart}. One call that prepares the data if missing,
 * runs a reduced-budget LongRoPE search on the bundled model, compares the found factors with the
 * classic baselines across lengths and writes tables, charts and an HF export. Everything it does
 * is a composition of the library's own calls (data, search, eval, io, report); the point is a
 * first result on a fresh machine in minutes, stated as what it is: a small budget on a small
 * model.
 */
package io.github.longrope.quickstart;
