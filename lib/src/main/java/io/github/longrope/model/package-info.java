/**
 * One LLaMA-family decoder driven by config data ({@code llama}, {@code mistral}, {@code phi3},
 * {@code qwen2}): RMSNorm, rotate-half RoPE from the {@code rope} package (any variant, per-layer
 * factors, start tokens, attention scale), grouped-query attention without K/V copies, SwiGLU MLP,
 * tied or untied embeddings, optional sliding window, query-chunked attention, and a KV cache whose
 * RoPE table is explicit state. The decoder computes in f32 or f16 ({@code Precision}) on one
 * device ({@code Placement}); {@code MemoryPlan} sizes a call from the config alone, and a call
 * that cannot fit ends in {@code OutOfMemory}, not a crash.
 *
 * <p>Allowed dependencies: {@code rope}, DJL api. DJL stays inside this package (and {@code train},
 * which keeps optimizer state as DJL arrays): callers pass and get {@code int[]}/{@code
 * float[]}/{@code double[]}. Every forward runs in an {@code NDScope}, with nested scopes per layer
 * and per attention chunk, so no native memory survives a call.
 */
package io.github.longrope.model;
