package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** T16. */
class FactorGridTest {
  @Test
  void t16GlobalGridForScaleFour() {
    double[] g = FactorGrid.global(4, 0.01);
    assertEquals(401, g.length);
    assertEquals(1.0, g[0]);
    assertEquals(5.0, g[400], 1e-12);
  }

  @Test
  void t16NeighbourBoundedCandidatesAreInclusive() {
    double[] c = FactorGrid.between(1.20, 1.25, 0.01);
    double[] expected = {1.20, 1.21, 1.22, 1.23, 1.24, 1.25};
    assertEquals(expected.length, c.length);
    for (int i = 0; i < c.length; i++) {
      assertEquals(expected[i], c[i], 1e-12);
    }
  }

  @Test
  void gridIsAnchoredAtTheLowerNeighbour() {
    double[] c = FactorGrid.between(1.205, 1.23, 0.01);
    assertEquals(3, c.length);
    assertEquals(1.225, c[2], 1e-12);
    assertEquals(0, FactorGrid.between(1.3, 1.2, 0.01).length);
  }
}
