package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {
  /** binary16 decoded from its definition, in double arithmetic (independent of the bit tricks). */
  static double reference(int h) {
    double sign = (h >>> 15) == 0 ? 1.0 : -1.0;
    int e = (h >>> 10) & 0x1f;
    int m = h & 0x3ff;
    if (e == 0x1f) {
      return m == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
    }
    double magnitude = e == 0 ? m * Math.pow(2, -24) : (1 + m / 1024.0) * Math.pow(2, e - 15);
    return Math.copySign(magnitude, sign);
  }

  static short bits(float f) {
    return HalfFloats.floatToF16(f);
  }

  @Test
  void everyF16PatternDecodesExactlyAndReEncodesToItself() {
    for (int h = 0; h < 0x10000; h++) {
      float f = HalfFloats.f16ToFloat((short) h);
      double expected = reference(h);
      if (Double.isNaN(expected)) {
        assertTrue(Float.isNaN(f), Integer.toHexString(h));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat(bits(f))), "NaN stays NaN");
        assertEquals(h & 0x8000, bits(f) & 0x8000, "NaN keeps its sign");
        continue;
      }
      assertEquals(expected, f, 0.0, Integer.toHexString(h));
      assertEquals(Double.doubleToRawLongBits(expected) >>> 63, Float.floatToRawIntBits(f) >>> 31);
      assertEquals(h, bits(f) & 0xffff, "round trip of " + Integer.toHexString(h));
    }
  }

  @Test
  void roundsToNearestTiesToEven() {
    float ulpAtOne = 0x1p-10f;
    assertEquals(0x3c00, bits(1 + ulpAtOne / 2), "1 + 2^-11 is a tie: stays on even 1.0");
    assertEquals(0x3c02, bits(1 + 3 * ulpAtOne / 2), "1 + 3·2^-11 ties up to the even 1 + 2^-9");
    assertEquals(0x3c01, bits(Math.nextUp(1 + ulpAtOne / 2)), "just above the tie rounds up");
    assertEquals(0x7bff, bits(65519f), "below the 65520 midpoint: max fp16");
    assertEquals(0x7c00, bits(65520f), "the midpoint rounds to the even neighbour, infinity");
    assertEquals(0xfc00, bits(-1e10f) & 0xffff);
    // subnormals: the smallest is 2^-24
    assertEquals(0x0001, bits(0x1p-24f));
    assertEquals(0x0000, bits(0x1p-25f), "exactly half the smallest subnormal: ties to zero");
    assertEquals(0x0001, bits(Math.nextUp(0x1p-25f)));
    assertEquals(0x0002, bits(3 * 0x1p-25f), "1.5 ulp ties to even 2 ulp");
    assertEquals(0x0400, bits(Math.nextDown(0x1p-14f)), "rounding up reaches the smallest normal");
    assertEquals(0x8000, bits(-0f) & 0xffff);
    assertEquals(0x8000, bits(-1e-30f) & 0xffff, "underflow keeps the sign");
    assertEquals(0x7c00, bits(Float.POSITIVE_INFINITY));
    assertTrue(Float.isNaN(HalfFloats.f16ToFloat(bits(Float.NaN))));
    // a NaN whose payload lives only in the 13 dropped bits must not become infinity
    assertTrue(Float.isNaN(HalfFloats.f16ToFloat(bits(Float.intBitsToFloat(0x7f800001)))));
  }

  @Test
  void randomFloatsRoundToTheNearestHalf() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      // uniform over exponents 2^-28 .. 2^16 so subnormals and the overflow edge are covered
      float f = (float) ((random.nextBoolean() ? 1 : -1) * Math.pow(2, random.nextDouble(-28, 16)));
      int h = bits(f) & 0xffff;
      double got = reference(h);
      double error = Math.abs(got - f);
      if (Double.isInfinite(got)) {
        assertTrue(Math.abs(f) >= 65520, f + " overflowed");
        continue;
      }
      // no other half is closer: check both neighbours of the result (same sign)
      for (int neighbour : new int[] {h - 1, h + 1}) {
        if ((neighbour & 0x7fff) <= 0x7bff && (neighbour >>> 15) == (h >>> 15) && neighbour >= 0) {
          assertTrue(Math.abs(reference(neighbour) - f) >= error, f + " -> " + h);
        }
      }
    }
  }

  @Test
  void bf16IsTheTopHalfOfAFloat() {
    assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3f80));
    assertEquals(-3.0f, HalfFloats.bf16ToFloat((short) 0xc040));
    assertEquals(Float.POSITIVE_INFINITY, HalfFloats.bf16ToFloat((short) 0x7f80));
    assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.bf16ToFloat((short) 0xff80));
    assertTrue(Float.isNaN(HalfFloats.bf16ToFloat((short) 0x7fc0)));
    assertEquals(3.140625f, HalfFloats.bf16ToFloat((short) 0x4049));
    assertEquals(Float.intBitsToFloat(0x00010000), HalfFloats.bf16ToFloat((short) 0x0001));
    assertEquals(0x80000000, Float.floatToRawIntBits(HalfFloats.bf16ToFloat((short) 0x8000)));
  }
}
