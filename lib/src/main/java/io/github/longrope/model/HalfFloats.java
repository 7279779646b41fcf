package io.github.longrope.model;

/**
 * Bit-level conversions between 16-bit floats and {@code float}.
 *
 * <p>Why in Java: DJL's PyTorch engine crashes the JVM on any bf16 array, so checkpoints stored in
 * bf16 or fp16 are widened to fp32 here before DJL sees them. Java 17 has no {@code
 * Float.float16ToFloat} (it arrived in Java 20), so the IEEE binary16 conversions are written out,
 * subnormals, infinities and NaN included.
 *
 * <ul>
 *   <li>bf16 → fp32 is exact: bf16 is the top half of an fp32 bit pattern.
 *   <li>fp16 → fp32 is exact: every binary16 value (subnormals included) is representable in fp32.
 *   <li>fp32 → fp16 rounds to nearest, ties to even (IEEE default, as numpy and PyTorch do);
 *       magnitudes ≥ 65520 become ±infinity, NaN stays NaN (quieted, sign and top payload bits
 *       kept).
 * </ul>
 */
public final class HalfFloats {
  private HalfFloats() {}

  /** A bf16 bit pattern as a float (exact). */
  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** An IEEE binary16 bit pattern as a float (exact). */
  public static float f16ToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0) {
      // zero or subnormal: mantissa × 2^-24, exact in float (a power-of-two scale of a 10-bit int)
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    if (exponent == 0x1f) {
      // infinity (mantissa 0) or NaN (payload kept)
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  /** The IEEE binary16 bit pattern nearest to {@code value} (round to nearest, ties to even). */
  public static short floatToF16(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7fffffff;
    if (abs >= 0x7f800000) {
      if (abs == 0x7f800000) {
        return (short) (sign | 0x7c00);
      }
      // NaN: set the quiet bit so that a payload living only in the dropped low bits stays NaN
      return (short) (sign | 0x7c00 | 0x200 | ((abs >>> 13) & 0x3ff));
    }
    if (abs >= 0x477ff000) {
      // ≥ 65520, the midpoint between 65504 (max fp16, odd mantissa) and 2^16: rounds to infinity
      return (short) (sign | 0x7c00);
    }
    if (abs >= 0x38800000) {
      // normal fp16 (≥ 2^-14): rebias the exponent, keep 10 mantissa bits, round the 13 dropped
      int half = ((((abs >>> 23) - 127 + 15) << 10) | ((abs & 0x7fffff) >>> 13));
      return (short) (sign | roundEven(half, abs & 0x1fff, 13));
    }
    if (abs <= 0x33000000) {
      // ≤ 2^-25, half the smallest subnormal: rounds to (signed) zero, the tie included
      return (short) sign;
    }
    // subnormal fp16: value = m × 2^(e-150) with the implicit bit; in units of 2^-24 that is
    // m >> (126 - e). A carry out of the top lands exactly on the smallest normal's encoding.
    int exponent = abs >>> 23;
    int mantissa = (abs & 0x7fffff) | 0x800000;
    int shift = 126 - exponent;
    int half = mantissa >>> shift;
    return (short) (sign | roundEven(half, mantissa & ((1 << shift) - 1), shift));
  }

  /** {@code truncated} rounded by its dropped low {@code droppedBits} bits, ties to even. */
  private static int roundEven(int truncated, int dropped, int droppedBits) {
    int midpoint = 1 << (droppedBits - 1);
    if (dropped > midpoint || (dropped == midpoint && (truncated & 1) != 0)) {
      return truncated + 1;
    }
    return truncated;
  }
}
