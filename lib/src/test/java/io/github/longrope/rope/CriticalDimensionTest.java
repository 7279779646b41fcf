package io.github.longrope.rope;

import static io.github.longrope.rope.Vectors.assertClose;
import static io.github.longrope.rope.Vectors.assertPrinted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * LongRoPE2's critical dimension. Expected values are the paper's (Phi3-mini 62 / pair 31,
 * LLaMA3-8B pair 35) and, to 10 digits, xₖ = (d/2)·ln(L/(2πk))/ln(b) computed independently in
 * Python.
 */
class CriticalDimensionTest {
  static final CriticalDimension PHI3 = new CriticalDimension(new RopeGeometry(96, 10_000), 2048);
  static final CriticalDimension LLAMA3 =
      new CriticalDimension(new RopeGeometry(128, 500_000), 8192);
  static final CriticalDimension BUNDLED = new CriticalDimension(new RopeGeometry(64, 10_000), 256);

  @Test
  void paperValues() {
    assertPrinted(30.15780101, PHI3.rawPair(1), "Phi3 x1");
    assertEquals(62, PHI3.theoreticalDims());
    assertEquals(31, PHI3.theoreticalPair());
    assertPrinted(18.15780101, PHI3.rawPair(10), "Phi3 x10");
    assertEquals(19, PHI3.tenPeriodPair());
    assertEquals(38, PHI3.tenPeriodDims());

    assertPrinted(34.984119, LLAMA3.rawPair(1), "LLaMA3 x1");
    assertEquals(35, LLAMA3.theoreticalPair());
    assertEquals(70, LLAMA3.theoreticalDims());
    assertEquals(24, LLAMA3.tenPeriodPair());

    // the paper's found d_rcd (25, 30) lie inside [d10_tcd, d_tcd] in pairs
    assertTrue(PHI3.tenPeriodPair() <= 25 && 25 <= PHI3.theoreticalPair());
    assertTrue(LLAMA3.tenPeriodPair() <= 30 && 30 <= LLAMA3.theoreticalPair());

    assertEquals(13, BUNDLED.theoreticalPair());
    assertEquals(5, BUNDLED.tenPeriodPair());
  }

  @Test
  void theCriticalPairIsTheFirstWithoutAWholePeriod() {
    for (CriticalDimension c : new CriticalDimension[] {PHI3, LLAMA3, BUNDLED}) {
      int r = c.theoreticalPair();
      assertTrue(c.periodsInTraining(r - 1) >= 1, "pair below completes a period");
      assertTrue(c.periodsInTraining(r) < 1, "critical pair does not");
      int r10 = c.tenPeriodPair();
      assertTrue(c.periodsInTraining(r10 - 1) >= 10);
      assertTrue(c.periodsInTraining(r10) < 10);
    }
    assertClose(2 * Math.PI, PHI3.period(0), 1e-15, "T0 = 2π");
    assertClose(2 * Math.PI * Math.pow(1e4, 2.0 * 31 / 96), PHI3.periods()[31], 1e-14, "T31");
  }

  @Test
  void clampedAtTheEnds() {
    // a huge L_train: every pair completes its periods
    CriticalDimension all = new CriticalDimension(new RopeGeometry(8, 10), 1_000_000);
    assertEquals(4, all.theoreticalPair());
    assertPrinted(new double[] {1, 1, 1, 1}, all.seed(8).row(0), "no critical pair: ones");
    CriticalDimension none = new CriticalDimension(new RopeGeometry(8, 10_000), 4);
    assertEquals(0, none.theoreticalPair());
    assertThrows(IllegalArgumentException.class, () -> new CriticalDimension(null, 5));
    assertThrows(
        IllegalArgumentException.class, () -> new CriticalDimension(new RopeGeometry(8, 10), 0));
  }

  @Test
  void ntkBelowMeetsLambdaAtTheCriticalPair() {
    double[] lambda = {9, 9, 9, 3, 4, 5};
    double[] out = CriticalDimension.ntkBelow(lambda, 3);
    assertPrinted(new double[] {1, Math.cbrt(3), Math.cbrt(9), 3, 4, 5}, out, "λ_r^(i/r)");
    // NTK with base b·κ, κ = λ_r^(d/(2r)): λᵢ = θᵢ/θ′ᵢ = κ^(2i/d)
    int d = 12;
    double kappa = Math.pow(3, d / (2.0 * 3));
    RopeGeometry g = new RopeGeometry(d, 10_000);
    RopeGeometry ntk = new RopeGeometry(d, 10_000 * kappa);
    for (int i = 0; i < 3; i++) {
      assertClose(g.theta(i) / ntk.theta(i), out[i], 1e-12, "NTK λ_" + i);
    }
    assertThrows(IllegalArgumentException.class, () -> CriticalDimension.ntkBelow(lambda, 6));
  }

  @Test
  void seedIsScaleFromTheCriticalPairAndMonotone() {
    double[] s = BUNDLED.seed(8).row(0);
    assertEquals(32, s.length);
    assertEquals(1.0, s[0]);
    for (int i = 13; i < 32; i++) {
      assertEquals(8.0, s[i]);
    }
    for (int i = 1; i < 32; i++) {
      assertTrue(s[i] >= s[i - 1]);
    }
    assertPrinted(Math.pow(8, 12.0 / 13), s[12], "λ_12");
  }
}
