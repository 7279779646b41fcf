package io.github.longrope.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.longrope.rope.FactorSeeds;
import io.github.longrope.rope.LinearScaling;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.rope.RopeNames;
import io.github.longrope.rope.YarnScaling;
import org.junit.jupiter.api.Test;

class BaselinesTest {
  final RopeGeometry g = new RopeGeometry(64, 10000);

  @Test
  void methodsAreTheSeedsOfTheRopePackageAtTheGivenScale() {
    assertEquals(new LinearScaling(8), RopeNames.method("pi", g, 256).apply(8));
    var seed = (LongRopeScaling) RopeNames.method("longrope-yarn-seed", g, 256).apply(8);
    assertArrayEquals(
        FactorSeeds.yarnSeed(g, YarnScaling.of(8, 256)).row(0), seed.factors().row(0), 0.0);
    assertEquals(256, seed.originalLength());
  }

  @Test
  void nothingIsScaledAtOrBelowTheOriginalLength() {
    for (String m : RopeNames.METHODS) {
      assertInstanceOf(NoScaling.class, RopeNames.method(m, g, 256).apply(1.0), m);
    }
  }

  @Test
  void unknownMethodsAreNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> RopeNames.method("rerope", g, 256));
    assertEquals(
        "unknown method 'rerope'; known: none, pi, ntk, yarn, longrope-yarn-seed,"
            + " longrope-yarn-exact",
        e.getMessage());
  }
}
