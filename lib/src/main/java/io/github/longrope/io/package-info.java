/**
 * File formats: HF {@code config.json} RoPE parameters, LongRoPE factor CSVs, JSON helpers and
 * atomic writes. Later: safetensors and tokenizers.
 *
 * <p>Allowed dependencies: {@code rope}, Jackson, the JDK (DJL and tokenizers once models load
 * here). Every parse error is a {@link io.github.longrope.io.FormatException} naming the file, the
 * key or line, and the problem.
 */
package io.github.longrope.io;
