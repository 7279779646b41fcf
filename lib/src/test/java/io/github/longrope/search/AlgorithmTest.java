package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mutation and crossover operators (docs/method.md, "Mutation and crossover (dim_mono)" and
 * "Piecewise factors (dim_piece_mono)"; T16).
 */
class AlgorithmTest {
  static final SearchSpace SPACE = new SearchSpace(4, 4, 5, 0.01, 0.3);

  @Test
  void t16NeighbourBoundedChoiceIsInclusiveAndOnTheLowerNeighboursGrid() {
    SplittableRandom r = new SplittableRandom(3);
    Set<Long> seen = new HashSet<>();
    for (int k = 0; k < 2000; k++) {
      double[] lambda = {1.0, 1.20, 1.22, 1.25};
      Algorithm.neighbourBounded(lambda, 2, SPACE, r);
      seen.add(Math.round(lambda[2] * 100));
    }
    assertEquals(Set.of(120L, 121L, 122L, 123L, 124L, 125L), seen);
  }

  @Test
  void firstAndLastDimensionsAreBoundedByOneAndOnePlusS() {
    SplittableRandom r = new SplittableRandom(4);
    double lo = 9;
    double hi = 0;
    for (int k = 0; k < 5000; k++) {
      double[] lambda = {1.5, 2, 3, 3.5};
      Algorithm.neighbourBounded(lambda, 0, SPACE, r);
      Algorithm.neighbourBounded(lambda, 3, SPACE, r);
      assertTrue(lambda[0] >= 1 && lambda[0] <= 2 + 1e-12);
      assertTrue(lambda[3] >= 3 - 1e-12 && lambda[3] <= 5 + 1e-12);
      lo = Math.min(lo, lambda[0]);
      hi = Math.max(hi, lambda[3]);
    }
    assertEquals(1.0, lo, 1e-12);
    assertEquals(5.0, hi, 1e-9, "1 + s is reachable (inclusive bound)");
  }

  @Test
  void dimMonoMutationNeverTouchesStartTokensAndKeepsMonotonicity() {
    SplittableRandom r = new SplittableRandom(5);
    Genome p = Genome.of(new Candidate(new double[] {1, 1.5, 2, 4}, 8, 4));
    DimMono m = new DimMono();
    for (int k = 0; k < 1000; k++) {
      Genome g = m.mutateOnce(p, SPACE, r);
      assertEquals(8, g.candidate().startTokens());
      assertTrue(m.valid(g), g.toString());
    }
  }

  @Test
  void dimPieceMonoMutatesTheLastTwoDimensionsToo() {
    // upstream's loop over genome positions stops two early, so the top two λ never move
    SplittableRandom r = new SplittableRandom(6);
    DimPieceMono m = new DimPieceMono();
    Genome p = new Genome(new Candidate(new double[] {1, 1.5, 2, 3}, 0, 4), 0, 2);
    boolean secondLast = false;
    boolean last = false;
    for (int k = 0; k < 500; k++) {
      Genome g = m.mutateOnce(p, SPACE, r);
      assertTrue(0 <= g.alpha() && g.alpha() < g.beta() && g.beta() < 4, g.toString());
      secondLast |= g.candidate().factor(2) != 2;
      last |= g.candidate().factor(3) != 3;
    }
    assertTrue(secondLast && last);
  }

  @Test
  void dimPieceMonoPiecesAreExtrapolationBelowAlphaAndPiAboveBeta() {
    SplittableRandom r = new SplittableRandom(7);
    DimPieceMono m = new DimPieceMono();
    SearchSpace always = new SearchSpace(6, 4, 5, 0.01, 1.0);
    Genome p = new Genome(new Candidate(new double[] {1.2, 1.3, 1.4, 2, 3, 3.5}, 0, 4), 1, 3);
    for (int k = 0; k < 200; k++) {
      Genome g = m.mutateOnce(p, always, r);
      for (int i = 0; i < 6; i++) {
        double v = g.candidate().factor(i);
        if (i <= g.alpha()) {
          assertEquals(1.0, v);
        } else if (i > g.beta()) {
          assertEquals(4.0, v);
        }
      }
    }
    assertThrows(
        IllegalArgumentException.class, () -> m.initial(new Candidate(new double[] {1}, 0, 2)));
  }

  @Test
  void crossoverOfTheSameIndividualIsNoneAndChildrenMixTheirParents() {
    SplittableRandom r = new SplittableRandom(8);
    DimMono m = new DimMono();
    Genome a = Genome.of(new Candidate(new double[] {1, 1.1, 1.2, 1.3}, 0, 4));
    Genome same = Genome.of(new Candidate(new double[] {1, 1.1, 1.2, 1.3 + 1e-9}, 0, 4));
    assertNull(m.crossover(a, same, SPACE, 20, false, r, g -> true));
    Genome b = Genome.of(new Candidate(new double[] {1.05, 1.15, 1.25, 1.35}, 4, 4));
    for (int k = 0; k < 200; k++) {
      Genome c = m.crossover(a, b, SPACE, 20, true, r, g -> !g.candidate().closeTo(a.candidate()));
      if (c == null) {
        continue;
      }
      assertTrue(m.valid(c));
      for (int i = 0; i < 4; i++) {
        double v = c.candidate().factor(i);
        assertTrue(v == a.candidate().factor(i) || v == b.candidate().factor(i));
      }
      int n = c.candidate().startTokens();
      assertTrue(n == 0 || n == 4);
    }
    Genome withoutN = m.crossover(a, b, SPACE, 20, false, r, g -> true);
    assertEquals(0, withoutN.candidate().startTokens(), "n̂ is not a gene when it is not searched");
  }

  @Test
  void allcloseFollowsNumpy() {
    Candidate a = new Candidate(new double[] {1.0, 100.0}, 0, 2);
    assertTrue(a.closeTo(new Candidate(new double[] {1.0 + 5e-6, 100.0 + 5e-4}, 0, 2)));
    assertTrue(!a.closeTo(new Candidate(new double[] {1.0 + 2e-5, 100.0}, 0, 2)));
    assertTrue(!a.closeTo(new Candidate(new double[] {1.0, 100.0}, 1, 2)), "n̂ differs");
    assertTrue(!a.closeTo(new Candidate(new double[] {1.0, 100.0}, 0, 3)), "s differs");
  }
}
