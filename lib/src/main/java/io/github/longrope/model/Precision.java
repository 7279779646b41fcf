package io.github.longrope.model;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The dtype a decoder keeps its weights and activations in: {@code f32} (the default) or {@code
 * f16}, half the bytes per weight and per K/V entry. bf16 is not offered: DJL's PyTorch engine has
 * no bf16 arrays (0.33), so bf16 checkpoints are widened and then stored in one of these two.
 *
 * <p>In f16 the decoder still computes in fp32 what loses accuracy in half precision: the RoPE
 * angles (in double, cast once per table), the residual stream between layers, the RMSNorm mean of
 * squares, the attention softmax (with its max subtraction), the final norm and the logits
 * (products with a widened copy of the output matrix) and the log-softmax behind every negative
 * log-likelihood.
 */
public enum Precision {
  F32(4, DataType.FLOAT32),
  F16(2, DataType.FLOAT16);

  /** Largest finite binary16 value: weights beyond it cannot be stored in f16. */
  public static final float F16_MAX = 65504f;

  private final int bytes;
  private final DataType dataType;

  Precision(int bytes, DataType dataType) {
    this.bytes = bytes;
    this.dataType = dataType;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  DataType dataType() {
    return dataType;
  }

  /** The name used in flags and JSON: {@code f32} or {@code f16}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return key();
  }

  /** {@code f32}/{@code float32} or {@code f16}/{@code float16}; anything else is an error. */
  public static Precision parse(String s) {
    return switch (s == null ? "" : s.toLowerCase(Locale.ROOT)) {
      case "f32", "float32", "fp32" -> F32;
      case "f16", "float16", "fp16", "half" -> F16;
      case "bf16", "bfloat16" ->
          throw new IllegalArgumentException(
              "dtype 'bf16' is not supported (DJL's PyTorch engine has no bf16 arrays): use f16,"
                  + " which loads a bf16 checkpoint when every weight fits, or f32");
      default ->
          throw new IllegalArgumentException("unknown dtype '" + s + "' (expected f32 or f16)");
    };
  }
}
