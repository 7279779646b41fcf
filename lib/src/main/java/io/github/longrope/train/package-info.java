/**
 * Training and fine-tuning on DJL autograd: AdamW, warm-up + cosine/linear schedule, gradient
 * clipping and accumulation, activation checkpointing, periodic validation, atomic checkpoints with
 * optimizer state and data position, and exact resume. Fine-tuning takes any RoPE variant and
 * optional PoSE position skipping: the fine-tuning stage of LongRoPE's progressive extension.
 *
 * <p>Allowed dependencies: {@code model}, {@code data}, {@code io}, {@code rope}, {@code eval} (the
 * passkey probe's prompts), DJL, Jackson, Tablesaw (the log as a table).
 */
package io.github.longrope.train;
