/**
 * Evaluation protocols of the official LongRoPE code (method doc §3): the perplexity window plan
 * and aggregation, and the passkey-retrieval prompt. The model-driven parts (forward passes,
 * generation) build on these pure pieces.
 *
 * <p>Allowed dependencies: {@code rope}, {@code model}, {@code data}, DJL (for running models); the
 * classes here so far are JDK-only.
 */
package io.github.longrope.eval;
