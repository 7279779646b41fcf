package io.github.longrope.rope;

import static io.github.longrope.rope.Vectors.assertClose;
import static io.github.longrope.rope.Vectors.assertPrinted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Search seeds (docs/method.md, "Initial population") and T5 (seed), T6, T9, T10. */
class FactorSeedsTest {
  static final RopeGeometry G = new RopeGeometry(8, 10000);
  static final RopeGeometry LLAMA2 = new RopeGeometry(128, 10000);

  @Test
  void t5YarnSeedVersusExactYarn() {
    YarnScaling yarn = YarnScaling.of(4, 2048);
    assertPrinted(new double[] {1, 1, 2.5, 4}, FactorSeeds.yarnSeed(G, yarn).row(0), "T5 seed λ");
    assertPrinted(new double[] {1, 1, 1.6, 4}, FactorSeeds.yarnExact(G, yarn).row(0), "T5 exact λ");
    YarnScaling untruncated =
        new YarnScaling(4, 2048, 32, 1, false, Double.NaN, Double.NaN, Double.NaN);
    assertPrinted(
        new double[] {1, 1, 2.977211392, 4},
        FactorSeeds.yarnSeed(G, untruncated).row(0),
        "T5 seed untruncated");
    assertPrinted(
        new double[] {1, 2.5, 4, 4},
        FactorSeeds.yarnSeed(G, YarnScaling.of(4, 64)).row(0),
        "T5 L=64 seed");
  }

  @Test
  void t6YarnSeedForLlama2() {
    YarnScaling yarn = YarnScaling.of(32, 4096);
    assertClose(
        new double[] {20.944482, 45.026881}, yarn.rawCorrectionRange(LLAMA2), 1e-7, "T6 raw");
    assertClose(new double[] {20, 46}, yarn.correctionRange(LLAMA2), 0, "T6 range");
    double[] lambda = FactorSeeds.yarnSeed(LLAMA2, yarn).row(0);
    for (int i = 0; i <= 20; i++) {
      assertEquals(1.0, lambda[i], "λ_" + i);
    }
    for (int i = 21; i <= 45; i++) {
      assertClose(1 + 31.0 * (i - 20) / 26, lambda[i], 1e-14, "λ_" + i);
    }
    assertPrinted(2.192307692, lambda[21], "λ_21");
    // 17.69230769, sometimes quoted as λ_33, is 1 + 31·14/26 = λ_34 by the formula above;
    // λ_33 = 1 + 31·13/26 = 16.5.
    assertPrinted(16.5, lambda[33], "λ_33");
    assertPrinted(17.69230769, lambda[34], "λ_34");
    assertPrinted(30.80769231, lambda[45], "λ_45");
    for (int i = 46; i < 64; i++) {
      assertEquals(32.0, lambda[i], "λ_" + i);
    }

    YarnScaling mistral =
        new YarnScaling(32, 4096, 128, 2, true, Double.NaN, Double.NaN, Double.NaN);
    assertClose(new double[] {11, 41}, mistral.correctionRange(LLAMA2), 0, "T6 mistral range");
    double[] m = FactorSeeds.yarnSeed(LLAMA2, mistral).row(0);
    assertPrinted(2.033333333, m[12], "mistral λ_12");
    assertPrinted(30.96666667, m[40], "mistral λ_40");
    assertEquals(32.0, m[41]);
    assertEquals(1.0, m[11]);
  }

  @Test
  void t9AutoRescale() {
    FactorTable lambda = FactorTable.of(1, 1.5, 3, 4);
    assertPrinted(
        new double[] {1, 1.241935484, 1.967741935, 2.451612903},
        FactorSeeds.rescale(lambda, 32, 16).row(0),
        "T9");
  }

  @Test
  void t10ProgressiveComposition() {
    FactorTable product = FactorTable.of(1, 1.5, 3, 4).times(FactorTable.of(1, 1.2, 2, 2));
    assertPrinted(new double[] {1, 1.8, 6, 8}, product.row(0), "T10");
  }

  @Test
  void seedsAgreeWithTheScalingVariantsTheyStandFor() {
    for (RopeGeometry g : List.of(G, LLAMA2)) {
      for (double s : new double[] {2, 8, 32}) {
        YarnScaling yarn = YarnScaling.of(s, 2048);
        assertClose(
            new NtkScaling(s).frequencies(g, 1).factors(),
            FactorSeeds.ntk(g, s).row(0),
            1e-12,
            "NTK");
        assertClose(
            yarn.frequencies(g, 1).factors(), FactorSeeds.yarnExact(g, yarn).row(0), 1e-12, "YaRN");
        assertClose(
            new LinearScaling(s).frequencies(g, 1).factors(),
            FactorSeeds.pi(g, s).row(0),
            1e-12,
            "PI");
      }
    }
  }

  @Test
  void piAndNtkSeeds() {
    assertClose(new double[] {4, 4, 4, 4}, FactorSeeds.pi(G, 4).row(0), 0, "PI");
    double[] ntk = FactorSeeds.ntk(G, 4).row(0);
    for (int i = 0; i < 4; i++) {
      assertClose(Math.pow(4, 2.0 * i / 6), ntk[i], 1e-14, "NTK λ_" + i);
    }
  }

  @Test
  void everySeedIsMonotone() {
    for (RopeGeometry g :
        List.of(G, LLAMA2, new RopeGeometry(96, 10000), new RopeGeometry(64, 500000))) {
      for (double s : new double[] {1.5, 2, 4, 8, 32, 64, 512}) {
        for (int original : new int[] {64, 256, 2048, 4096, 8192}) {
          YarnScaling yarn = YarnScaling.of(s, original);
          for (FactorTable seed :
              List.of(
                  FactorSeeds.pi(g, s),
                  FactorSeeds.ntk(g, s),
                  FactorSeeds.yarnSeed(g, yarn),
                  FactorSeeds.yarnExact(g, yarn))) {
            assertTrue(
                seed.firstDecrease().isEmpty(),
                "seed not monotone for d="
                    + g.rotaryDim()
                    + " s="
                    + s
                    + " L="
                    + original
                    + ": "
                    + seed);
            double[] row = seed.row(0);
            assertTrue(row[0] >= 1 - 1e-12 && row[row.length - 1] <= s * (1 + 1e-12), "range");
          }
        }
      }
    }
  }
}
