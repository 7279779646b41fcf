package io.github.longrope.rope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** The cos/sin table: splicing, attention scale, and angle precision at position 100 000. */
class RopeTableTest {
  static final RopeGeometry LLAMA2 = new RopeGeometry(128, 10000);

  /**
   * An independent reference for cos(p·θ′): the angle p·θ′ is formed exactly in BigDecimal and
   * reduced modulo 2π with a 40-digit π before the cosine is taken, so it does not share the code
   * path under test.
   */
  static double referenceCos(int position, double inv) {
    MathContext mc = new MathContext(40);
    BigDecimal twoPi = new BigDecimal("6.283185307179586476925286766559005768394");
    BigDecimal angle = new BigDecimal(position).multiply(new BigDecimal(inv), mc);
    BigDecimal turns = angle.divideToIntegralValue(twoPi, mc);
    BigDecimal reduced = angle.subtract(turns.multiply(twoPi, mc), mc);
    return Math.cos(reduced.doubleValue());
  }

  @Test
  void doubleAnglesAtPosition100kMatchAnExactReference() {
    LongRopeScaling rope = LongRopeScaling.of(FactorSeeds.ntk(LLAMA2, 32), 4096, 32);
    RopeFrequencies f = rope.frequencies(LLAMA2, 100_001);
    RopeTable table = f.table(99_990, 100_001, RopeTable.Precision.DOUBLE);
    double[] inv = f.inverseFrequencies();
    double worst = 0;
    for (int i = 0; i < inv.length; i++) {
      double expected = referenceCos(100_000, inv[i]) * f.attentionScale();
      worst = Math.max(worst, Math.abs(table.cos(100_000, i) - expected));
    }
    assertTrue(worst < 2e-7, "double-angle table off by " + worst + " at p=100000");
  }

  @Test
  void float32AnglesDriftAtLongPositionsLikeHf() {
    RopeFrequencies f = new NoScaling().frequencies(LLAMA2, 100_001);
    RopeTable hf = f.table(100_000, 100_001, RopeTable.Precision.FLOAT32);
    RopeTable exact = f.table(100_000, 100_001, RopeTable.Precision.DOUBLE);
    double worst = 0;
    for (int i = 0; i < LLAMA2.pairs(); i++) {
      // what HF computes: float32 inv_freq times float32 position, rounded to float32
      float angle32 = (float) 100_000 * (float) f.inverseFrequencies()[i];
      assertEquals((float) Math.cos(angle32), hf.cos(100_000, i), 1e-7f, "float32 emulation " + i);
      worst = Math.max(worst, Math.abs(hf.cos(100_000, i) - exact.cos(100_000, i)));
    }
    // float32 products at p = 1e5 lose ~1e-3 rad: visible, and bounded by p·2^-24 per angle.
    assertTrue(worst > 1e-5, "float32 should visibly differ at 100k, worst " + worst);
    assertTrue(worst < 100_000 * Math.pow(2, -23), "float32 drift too large: " + worst);
  }

  @Test
  void tableSplicesStartTokensAndScales() {
    RopeGeometry g = new RopeGeometry(8, 10000);
    LongRopeScaling rope =
        LongRopeScaling.of(FactorTable.of(1, 1.5, 3, 4), 4096, 32).withStartTokens(4);
    RopeFrequencies f = rope.frequencies(g, 5001);
    RopeTable table = f.table(0, 5001, RopeTable.Precision.DOUBLE);
    RopeFrequencies plain = new NoScaling().frequencies(g, 5001);
    for (int i = 0; i < 4; i++) {
      assertEquals((float) plain.cos(3)[i], table.cos(3, i), "original table below n̂");
      assertEquals((float) f.cos(4)[i], table.cos(4, i), "rescaled table from n̂");
      assertEquals((float) f.sin(5000)[i], table.sin(5000, i));
    }
    float c = table.cos(4, 0);
    float s = table.sin(4, 0);
    assertEquals(
        f.attentionScale(), Math.sqrt(c * c + s * s), 1e-6, "scale folded into cos and sin");
    assertEquals(5001 * 4, table.cosValues().length);
  }
}
