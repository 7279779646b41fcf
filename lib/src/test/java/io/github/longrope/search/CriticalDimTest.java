package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.FormatException;
import io.github.longrope.rope.CriticalDimension;
import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.rope.RopeGeometry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code critical_dim}: every candidate it produces keeps LongRoPE2's structure (searched pairs in
 * [s, 2s], non-decreasing, NTK below the critical pair, the pair inside [d10_tcd, d_tcd]); the
 * search is deterministic for a seed and resumes to the uninterrupted result.
 */
class CriticalDimTest {
  // the bundled model's geometry: d 64, b 1e4, L 256 → pairs [5, 13]
  static final RopeGeometry G = new RopeGeometry(64, 10_000);
  static final int L = 256;
  static final double S = 8;
  @TempDir Path work;

  static SearchConfig config(String more) {
    return Synthetic.config(
        "\"algorithm\": \"critical_dim\", \"population\": 12, \"iterations\": 6, \"mutations\": 8,"
            + " \"crossovers\": 8, \"parents\": 6"
            + (more.isEmpty() ? "" : ", " + more));
  }

  static SearchProblem problem(SearchConfig c) {
    InitialFactors.Seeds seeds = InitialFactors.resolve(c, G, S, L, 32, 1, null);
    SearchProblem p =
        new SearchProblem(
            RopeTarget.longFactors(L, S, new MagnitudeScaling.Su()), S, seeds.seeds(), 0);
    return p.withCritical(CriticalRange.resolve(c.criticalDim(), new CriticalDimension(G, L)));
  }

  /** A hidden optimum with critical pair 9, λ rising from 1.3s to 1.8s above it. */
  static double[] target() {
    double[] t = new double[32];
    for (int i = 9; i < 32; i++) {
      t[i] = S * (1.3 + 0.5 * (i - 9) / 22.0);
    }
    return CriticalDimension.ntkBelow(t, 9);
  }

  static Synthetic.Counting fitness() {
    return new Synthetic.Counting(target(), 2 * S, 0, 0);
  }

  @Test
  void configDefaultsAndErrors() {
    SearchConfig c = config("");
    assertEquals(2 * S, c.maxFactor(S), "LongRoPE2's [s, 2s]");
    assertEquals(List.of("critical-dim"), c.init());
    assertEquals(new SearchConfig.CriticalPairs(null, null, null, null), c.criticalDim());
    CriticalRange r = problem(c).critical();
    assertEquals(new CriticalRange(5, 13, 13, 256, 13, 5), r);
    assertEquals(26, r.theoreticalDims());
    assertEquals(10, r.tenPeriodDims());
    CriticalRange given =
        problem(config("\"critical_dim\": {\"low\": 7, \"high\": 11, \"start\": 8}")).critical();
    assertEquals(new CriticalRange(7, 11, 8, 256, 13, 5), given);
    assertEquals(
        1024,
        problem(config("\"critical_dim\": {\"train_length\": 1024}")).critical().trainLength() * 0
            + 1024);
    // a dim_mono config has no critical_dim key (its JSON is unchanged)
    assertTrue(
        Synthetic.config("\"algorithm\": \"dim_mono\"")
            .toJson()
            .path("critical_dim")
            .isMissingNode());

    for (String[] bad :
        new String[][] {
          {"\"critical_dim\": {\"low\": 9, \"high\": 4}", "critical_dim.low"},
          {"\"critical_dim\": {\"start\": 40, \"high\": 12}", "critical_dim.start"},
          {"\"critical_dim\": {\"train_length\": 0}", "critical_dim.train_length"},
          {"\"critical_dim\": {\"lo\": 3}", "'critical_dim.lo'"},
          {"\"auto_rescale\": true", "auto_rescale"},
        }) {
      FormatException e = assertThrows(FormatException.class, () -> config(bad[0]));
      assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
    }
    FormatException notCritical =
        assertThrows(
            FormatException.class, () -> Synthetic.config("\"critical_dim\": {\"low\": 3}"));
    assertTrue(notCritical.getMessage().contains("only used with"), notCritical.getMessage());
    IllegalArgumentException big =
        assertThrows(
            IllegalArgumentException.class,
            () -> problem(config("\"critical_dim\": {\"high\": 32}")));
    assertTrue(big.getMessage().contains("critical_dim.high"), big.getMessage());
    IllegalArgumentException low =
        assertThrows(
            IllegalArgumentException.class,
            () -> new EvolutionSearch(config("\"max_factor\": \"0.5*s\""), problem(config(""))));
    assertTrue(low.getMessage().contains("max_factor"), low.getMessage());
    IllegalArgumentException noRange =
        assertThrows(
            IllegalArgumentException.class,
            () -> new EvolutionSearch(config(""), Synthetic.problem(config(""), 32, S)));
    assertTrue(noRange.getMessage().contains("critical pairs"), noRange.getMessage());
  }

  @Test
  void projectionMutationAndCrossoverKeepTheStructure() {
    SearchProblem p = problem(config(""));
    CriticalDim alg = (CriticalDim) Algorithm.of(config(""), p);
    SearchSpace space = SearchSpace.of(config(""), 32, S);
    // a YaRN-like seed with values below s and above 2s is projected
    double[] raw = new double[32];
    Arrays.setAll(raw, i -> 1 + 20.0 * i / 31);
    Genome g = alg.initial(new Candidate(raw, 0, S));
    assertTrue(alg.valid(g));
    assertEquals(13, g.alpha());
    assertEquals(2 * S, g.candidate().factor(31));
    SplittableRandom rng = new SplittableRandom(7);
    Set<Integer> pairs = new HashSet<>();
    Genome other = g;
    for (int k = 0; k < 3000; k++) {
      Genome m = alg.mutateOnce(k % 2 == 0 ? g : other, space, rng);
      assertTrue(alg.valid(m), m.toString());
      checkStructure(m.candidate().factors(), m.alpha());
      pairs.add(m.alpha());
      if (k % 7 == 0) {
        other = m;
      }
      Genome x = alg.crossover(m, g, space, 20, false, rng, c -> true);
      if (x != null) {
        assertTrue(alg.valid(x));
        checkStructure(x.candidate().factors(), x.alpha());
      }
    }
    assertTrue(pairs.size() >= 5, "the critical pair moves through the range: " + pairs);
    assertTrue(pairs.stream().allMatch(r -> r >= 5 && r <= 13), pairs.toString());
  }

  /** Searched pairs in [s, 2s] and non-decreasing; λᵢ = λ_r^(i/r) below r. */
  static void checkStructure(double[] lambda, int r) {
    assertTrue(r >= 5 && r <= 13, "pair " + r);
    for (int j = r; j < lambda.length; j++) {
      assertTrue(lambda[j] >= S - 1e-9 && lambda[j] <= 2 * S + 1e-9, "λ_" + j + " " + lambda[j]);
      if (j > r) {
        assertTrue(lambda[j] >= lambda[j - 1], "monotone at " + j);
      }
    }
    for (int i = 0; i < r; i++) {
      assertEquals(Math.pow(lambda[r], (double) i / r), lambda[i], 1e-9 * lambda[r], "NTK " + i);
    }
    assertEquals(1.0, lambda[0]);
  }

  @Test
  void everyEvaluatedCandidateKeepsTheStructureAndTheSearchImproves() {
    SearchConfig c = config("");
    SearchProblem p = problem(c);
    CriticalDim alg = (CriticalDim) Algorithm.of(c, p);
    Synthetic.Counting f = fitness();
    SearchResult r;
    try (Evaluator ev = Evaluator.sequential(f)) {
      r = new EvolutionSearch(c, p).run(ev, null, null);
    }
    assertTrue(f.seen.size() > 50, "evaluated " + f.seen.size());
    for (Candidate x : f.seen) {
      int pair = alg.criticalPair(x.factors());
      assertTrue(pair >= 0, "no critical pair fits " + x);
      checkStructure(x.factors(), pair);
    }
    assertTrue(
        r.fitness() < r.seeds().get(0).fitness(),
        "best " + r.fitness() + " vs seed " + r.seeds().get(0).fitness());
  }

  @Test
  void sameSeedSameSearchOtherSeedOtherSearch() {
    SearchConfig c = config("");
    SearchResult a = run(c, null);
    SearchResult b = run(c, null);
    assertEquals(a.best(), b.best());
    assertEquals(a.bestPerIteration(), b.bestPerIteration());
    assertEquals(a.evaluations(), b.evaluations());
    SearchResult other = run(c.withSeed(7), null);
    assertNotEquals(a.bestPerIteration(), other.bestPerIteration());
  }

  static SearchResult run(SearchConfig c, RunRecord rec) {
    try (Evaluator ev = Evaluator.sequential(fitness())) {
      return new EvolutionSearch(c, problem(c)).run(ev, rec, null);
    }
  }

  @Test
  void resumesToTheUninterruptedResult() throws IOException {
    SearchConfig c = config("");
    ObjectNode resolved = io.github.longrope.io.Json.MAPPER.createObjectNode();
    resolved.set("search", c.toJson());
    Path full = work.resolve("full");
    SearchResult reference;
    try (RunRecord rec = RunRecord.open(full, resolved, false)) {
      reference = run(c, rec);
    }
    byte[] history = Files.readAllBytes(full.resolve(RunRecord.HISTORY));
    for (int cut : new int[] {0, history.length / 3, history.length - 5}) {
      Path dir = work.resolve("cut" + cut);
      Files.createDirectories(dir);
      Files.copy(full.resolve(RunRecord.CONFIG), dir.resolve(RunRecord.CONFIG));
      Files.write(dir.resolve(RunRecord.HISTORY), Arrays.copyOf(history, cut));
      SearchResult resumed;
      try (RunRecord rec = RunRecord.open(dir, resolved, true)) {
        resumed = run(c, rec);
      }
      assertEquals(reference.best(), resumed.best(), "cut " + cut);
      assertEquals(reference.fitness(), resumed.fitness());
      assertEquals(reference.bestPerIteration(), resumed.bestPerIteration());
      assertEquals(reference.evaluations(), resumed.evaluations());
    }
  }
}
