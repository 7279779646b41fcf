package io.github.longrope.rope;

import static io.github.longrope.rope.Vectors.assertClose;
import static io.github.longrope.rope.Vectors.assertPrinted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reference values T1–T8 and T11 (docs/method.md) and the variant properties. */
class RopeScalingTest {
  /** d = 8, b = 10000 ⇒ θ = [1, 0.1, 0.01, 0.001]. */
  static final RopeGeometry G = new RopeGeometry(8, 10000);

  @Test
  void yarnWithBetasChangesOnlyTheRamp() {
    YarnScaling y = YarnScaling.of(8, 4096);
    YarnScaling wide = y.withBetas(64, 0.5);
    assertEquals(new YarnScaling(8, 4096, 64, 0.5, true, Double.NaN, Double.NaN, Double.NaN), wide);
    assertEquals(y, wide.withBetas(YarnScaling.DEFAULT_BETA_FAST, YarnScaling.DEFAULT_BETA_SLOW));
    assertThrows(IllegalArgumentException.class, () -> y.withBetas(1, 2));
  }

  @Test
  void t1BaseInverseFrequencies() {
    RopeFrequencies f = new NoScaling().frequencies(G, 100);
    assertPrinted(new double[] {1, 0.1, 0.01, 0.001}, f.inverseFrequencies(), "T1 inv");
    assertPrinted(new double[] {1, 1, 1, 1}, f.factors(), "T1 λ");
    assertEquals(1.0, f.attentionScale());
  }

  @Test
  void t2LinearTimesFour() {
    RopeFrequencies f = new LinearScaling(4).frequencies(G, 100);
    assertPrinted(new double[] {0.25, 0.025, 0.0025, 0.00025}, f.inverseFrequencies(), "T2 inv");
    assertPrinted(new double[] {4, 4, 4, 4}, f.factors(), "T2 λ");
    assertEquals(1.0, f.attentionScale());
  }

  @Test
  void t3StaticNtkTimesFour() {
    RopeFrequencies f = new NtkScaling(4).frequencies(G, 100);
    assertPrinted(
        new double[] {1, 0.06299605249, 0.00396850263, 0.00025}, f.inverseFrequencies(), "T3 inv");
    assertPrinted(new double[] {1, 1.587401052, 2.5198421, 4}, f.factors(), "T3 λ");
    // b' = 10000·4^(8/6) = 63496.04208: inv[1] = b'^(-1/4)
    assertPrinted(63496.04208, Math.pow(f.inverseFrequencies()[1], -4), "T3 b'");
  }

  @Test
  void t4DynamicNtk() {
    DynamicNtkScaling dyn = new DynamicNtkScaling(4, 2048);
    RopeFrequencies f = dyn.frequencies(G, 4096);
    assertPrinted(
        new double[] {1, 0.05848035476, 0.003419951893, 0.0002}, f.inverseFrequencies(), "T4 inv");
    assertPrinted(85498.79733, Math.pow(f.inverseFrequencies()[1], -4), "T4 b'");
    // at or below the original length dynamic NTK is the default table
    assertClose(G.thetas(), dyn.frequencies(G, 2048).inverseFrequencies(), 1e-15, "dyn@L");
    assertClose(G.thetas(), dyn.frequencies(G, 10).inverseFrequencies(), 1e-15, "dyn<L");
  }

  @Test
  void t5Yarn() {
    YarnScaling yarn = YarnScaling.of(4, 2048);
    double[] raw = yarn.rawCorrectionRange(G);
    assertClose(new double[] {1.008000, 2.513150}, raw, 1e-6, "T5 raw range");
    assertClose(new double[] {1, 3}, yarn.correctionRange(G), 0, "T5 truncated range");
    assertClose(new double[] {0, 0, 0.5, 1}, yarn.ramp(G), 0, "T5 ramp");
    RopeFrequencies f = yarn.frequencies(G, 8192);
    assertPrinted(new double[] {1, 0.1, 0.00625, 0.00025}, f.inverseFrequencies(), "T5 inv");
    assertPrinted(new double[] {1, 1, 1.6, 4}, f.factors(), "T5 λ yarn");
    assertPrinted(1.138629436, f.attentionScale(), "T5 attention s=4");
    assertPrinted(1.34657359, YarnScaling.of(32, 2048).attentionScale(1), "T5 attention s=32");

    YarnScaling untruncated =
        new YarnScaling(4, 2048, 32, 1, false, Double.NaN, Double.NaN, Double.NaN);
    assertPrinted(new double[] {0, 0, 0.6590704638, 1}, untruncated.ramp(G), "T5 ramp untruncated");
    assertPrinted(
        new double[] {1, 0.1, 0.005056971521, 0.00025},
        untruncated.frequencies(G, 1).inverseFrequencies(),
        "T5 inv untruncated");

    YarnScaling shortL = YarnScaling.of(4, 64);
    assertClose(
        new double[] {-0.497150, 1.008000}, shortL.rawCorrectionRange(G), 1e-5, "T5 L=64 raw");
    assertClose(new double[] {0, 2}, shortL.correctionRange(G), 0, "T5 L=64 range");
    assertClose(new double[] {0, 0.5, 1, 1}, shortL.ramp(G), 0, "T5 L=64 ramp");
    assertPrinted(
        new double[] {1, 0.0625, 0.0025, 0.00025},
        shortL.frequencies(G, 1).inverseFrequencies(),
        "T5 L=64 inv");
  }

  @Test
  void yarnAttentionFactorOptions() {
    YarnScaling explicit = new YarnScaling(4, 2048, 32, 1, true, 1.5, Double.NaN, Double.NaN);
    assertEquals(1.5, explicit.attentionScale(1));
    YarnScaling deepseek = new YarnScaling(40, 4096, 32, 1, true, Double.NaN, 0.707, 0.707);
    assertClose(1.0, deepseek.attentionScale(1), 1e-15, "mscale == mscale_all_dim");
    YarnScaling ratio = new YarnScaling(40, 4096, 32, 1, true, Double.NaN, 1.0, 0.5);
    assertClose(
        (0.1 * Math.log(40) + 1) / (0.05 * Math.log(40) + 1),
        ratio.attentionScale(1),
        1e-15,
        "ratio");
    YarnScaling onlyOne = new YarnScaling(40, 4096, 32, 1, true, Double.NaN, 1.0, Double.NaN);
    assertClose(0.1 * Math.log(40) + 1, onlyOne.attentionScale(1), 1e-15, "one mscale ⇒ default");
  }

  @Test
  void t7LongRopeStaticWithSuAndStartTokens() {
    FactorTable lambda = FactorTable.of(1, 1.5, 3, 4);
    LongRopeScaling rope = LongRopeScaling.of(lambda, 4096, 131072.0 / 4096);
    RopeFrequencies f = rope.frequencies(G, 5001);
    assertPrinted(
        new double[] {1, 0.06666666667, 0.003333333333, 0.00025}, f.inverseFrequencies(), "T7 inv");
    assertPrinted(1.190238071, f.attentionScale(), "T7 su");
    assertClose(Math.sqrt(17.0 / 12), f.attentionScale(), 1e-15, "T7 su = sqrt(17/12)");
    assertPrinted(
        1.34657359,
        rope.withMagnitude(new MagnitudeScaling.Yarn()).attentionScale(1),
        "T7 yarn policy");
    assertPrinted(
        new double[] {5000, 333.3333333, 16.66666667, 1.25},
        new double[] {f.angle(5000, 0), f.angle(5000, 1), f.angle(5000, 2), f.angle(5000, 3)},
        "T7 angles");
    assertPrinted(
        new double[] {0.1840922255, 1.128115285, -0.683888977, 0.3753086805},
        f.cos(5000),
        "T7 cos");
    assertPrinted(
        new double[] {-1.175915269, 0.379503058, -0.9741470802, 1.129517623},
        f.sin(5000),
        "T7 sin");
    assertPrinted(
        new double[] {
          6.063668569, -0.02078777848, 4.76736263, -7.534906263,
          -0.2554541413, 7.527697824, -7.70966408, 7.520539937
        },
        f.rotate(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 5000),
        "T7 rotated q");

    RopeFrequencies spliced = rope.withStartTokens(4).frequencies(G, 5001);
    assertPrinted(
        new double[] {-0.9899924966, 0.9553364891, 0.9995500337, 0.9999955},
        spliced.cos(3),
        "T7 n̂=4 position 3 cos");
    assertEquals(1.0, spliced.scaleAt(3));
    assertEquals(f.attentionScale(), spliced.scaleAt(4));
    assertClose(f.cos(4), spliced.cos(4), 0, "positions >= n̂ are not shifted");
  }

  @Test
  void t8DynamicLongRope() {
    LongRopeScaling dyn =
        LongRopeScaling.of(FactorTable.of(1, 1.5, 3, 4), 4096, 32).withDynamic(true);
    assertPrinted(
        new double[] {1, 1.016129032, 1.064516129, 1.096774194},
        dyn.activeFactors(8192, 0),
        "T8 n=8192");
    assertPrinted(
        new double[] {1, 1.241935484, 1.967741935, 2.451612903},
        dyn.activeFactors(65536, 0),
        "T8 n=65536");
    assertClose(new double[] {1, 1, 1, 1}, dyn.activeFactors(100, 0), 0, "clamped below L");
    assertClose(new double[] {1, 1.5, 3, 4}, dyn.activeFactors(1 << 20, 0), 0, "clamped above L'");
    assertEquals(dyn.attentionScale(8192), dyn.attentionScale(131072), "mscale is static");
  }

  @Test
  void t11Llama3() {
    RopeGeometry g = new RopeGeometry(8, 500000);
    Llama3Scaling llama3 = new Llama3Scaling(8, 1, 4, 8192);
    assertPrinted(
        new double[] {1, 0.03760603093, 0.001414213562, 5.318295897e-05}, g.thetas(), "T11 θ");
    RopeFrequencies f = llama3.frequencies(g, 100);
    assertPrinted(
        new double[] {6.283185307, 167.0791932, 4442.882938, 118142.8305},
        new NoScaling().frequencies(g, 1).wavelengths(),
        "T11 wavelengths");
    assertPrinted(
        new double[] {1, 0.03760603093, 0.000524846161, 6.647869871e-06},
        f.inverseFrequencies(),
        "T11 out");
    assertPrinted(new double[] {1, 1, 2.694529688, 8}, f.factors(), "T11 λ");
  }

  @Test
  void linearIsDefaultDividedByFactor() {
    for (double s : new double[] {1, 2, 8, 37.5}) {
      double[] base = new NoScaling().frequencies(G, 1).inverseFrequencies();
      double[] lin = new LinearScaling(s).frequencies(G, 1).inverseFrequencies();
      for (int i = 0; i < base.length; i++) {
        assertClose(base[i] / s, lin[i], 1e-15, "linear s=" + s);
      }
    }
  }

  @Test
  void longRopeWithUnitFactorsIsDefault() {
    RopeGeometry g = new RopeGeometry(128, 10000);
    LongRopeScaling unit = LongRopeScaling.of(FactorTable.ones(64), 4096, 1.0);
    RopeFrequencies f = unit.frequencies(g, 20000);
    RopeFrequencies d = new NoScaling().frequencies(g, 20000);
    assertClose(d.inverseFrequencies(), f.inverseFrequencies(), 0, "inv");
    assertEquals(1.0, f.attentionScale());
    for (int p : new int[] {0, 1, 4095, 19999}) {
      assertClose(d.cos(p), f.cos(p), 0, "cos@" + p);
      assertClose(d.sin(p), f.sin(p), 0, "sin@" + p);
    }
  }

  @Test
  void yarnLiesBetweenPiAndDefault() {
    RopeGeometry g = new RopeGeometry(128, 10000);
    for (double s : new double[] {2, 4, 16, 64}) {
      double[] base = g.thetas();
      double[] inv = YarnScaling.of(s, 4096).frequencies(g, 1).inverseFrequencies();
      for (int i = 0; i < inv.length; i++) {
        assertTrue(inv[i] <= base[i] * (1 + 1e-15), "yarn <= default at " + i);
        assertTrue(inv[i] >= base[i] / s * (1 - 1e-15), "yarn >= default/s at " + i);
      }
    }
  }

  @Test
  void shortLongPairSwitchesAfterOriginalLength() {
    LongRopeScaling pair =
        LongRopeScaling.of(FactorTable.of(2, 2, 4, 8), 4096, 32)
            .withShortFactors(FactorTable.of(1, 1, 1.5, 2));
    assertEquals(Optional.of(RopeScaling.Regime.SHORT), pair.regime(4096));
    assertEquals(Optional.of(RopeScaling.Regime.LONG), pair.regime(4097));
    assertClose(new double[] {1, 1, 1.5, 2}, pair.frequencies(G, 4096).factors(), 1e-15, "short");
    assertClose(new double[] {2, 2, 4, 8}, pair.frequencies(G, 4097).factors(), 1e-15, "long");
    assertEquals(pair.attentionScale(4096), pair.attentionScale(4097), "same scale both regimes");
    LongRopeScaling vllm = pair.withShortMagnitude(new MagnitudeScaling.Constant(1.0));
    assertEquals(1.0, vllm.attentionScale(4096));
    assertEquals(pair.attentionScale(4097), vllm.attentionScale(4097));
  }

  @Test
  void perLayerFactorsSelectTheirRow() {
    LongRopeScaling rope =
        LongRopeScaling.of(
            FactorTable.ofRows(new double[][] {{1, 1, 2, 2}, {1, 2, 3, 4}}), 4096, 4);
    assertEquals(2, rope.layers());
    assertClose(new double[] {1, 1, 2, 2}, rope.frequencies(G, 1, 0).factors(), 1e-15, "layer 0");
    assertClose(new double[] {1, 2, 3, 4}, rope.frequencies(G, 1, 1).factors(), 1e-15, "layer 1");
    assertThrows(IllegalArgumentException.class, () -> rope.frequencies(G, 1, 2));
  }

  @Test
  void badParametersAreRejectedWithTheirName() {
    List<Runnable> bad =
        List.of(
            () -> new LinearScaling(0.5),
            () -> new LinearScaling(Double.NaN),
            () -> new NtkScaling(Double.POSITIVE_INFINITY),
            () -> new DynamicNtkScaling(2, 0),
            () -> new Llama3Scaling(8, 4, 1, 8192),
            () -> new YarnScaling(4, 2048, 1, 32, true, Double.NaN, Double.NaN, Double.NaN),
            () -> new RopeGeometry(7, 10000),
            () -> new RopeGeometry(8, 1),
            () -> LongRopeScaling.of(FactorTable.of(1, 2), 4096, 4).withStartTokens(-1),
            () ->
                LongRopeScaling.of(FactorTable.of(1, 2), 4096, 4)
                    .withDynamic(true)
                    .withShortFactors(FactorTable.of(1, 1)),
            () -> LongRopeScaling.of(FactorTable.of(1, 2), 4096, 4).frequencies(G, 10));
    for (Runnable r : bad) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new LinearScaling(0.5))
            .getMessage()
            .contains("linear factor"));
  }
}
