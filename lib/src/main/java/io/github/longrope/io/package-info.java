/**
 * File formats: HF model directories ({@code config.json} → {@link
 * io.github.longrope.model.ModelConfig}, RoPE parameters, memory-mapped safetensors, sharded
 * checkpoints, tokenizers), LongRoPE factor CSVs, token data, JSON helpers and atomic writes.
 *
 * <p>Allowed dependencies: {@code rope}, {@code model} (its records and {@code WeightSource}),
 * Jackson, DJL's HF tokenizers, the JDK. Every parse error is a {@link
 * io.github.longrope.io.FormatException} naming the file, the key or line, and the problem.
 */
package io.github.longrope.io;
