package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.RopeGeometry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seeds of the initial population (docs/method.md, "Initial population"). */
class InitialFactorsTest {
  static final RopeGeometry G = new RopeGeometry(8, 10000);

  static SearchConfig init(String sources) {
    return SearchConfig.parse(
        "{\"version\": 1, \"init\": " + sources + ", \"init_file\": \"f\"}", "t");
  }

  @Test
  void namedSeedsFollowTheMethodDoc() {
    SearchConfig c =
        SearchConfig.parse(
            "{\"version\": 1, \"init\": [\"pi\", \"ntk\", \"yarn\", \"yarn-exact\", \"ones\"]}",
            "t");
    List<InitialFactors.Seed> s = InitialFactors.resolve(c, G, 4, 2048, 32, 1, null).seeds();
    assertArrayEquals(new double[] {4, 4, 4, 4}, s.get(0).factors()); // T2
    assertArrayEquals(new double[] {1, 1.587401052, 2.5198421, 4}, s.get(1).factors(), 1e-9); // T3
    assertArrayEquals(new double[] {1, 1, 2.5, 4}, s.get(2).factors(), 1e-12); // T5 seed
    assertArrayEquals(new double[] {1, 1, 1.6, 4}, s.get(3).factors(), 1e-12); // T5 exact
    assertArrayEquals(new double[] {1, 1, 1, 1}, s.get(4).factors());
    assertEquals(
        List.of("pi", "ntk", "yarn", "yarn-exact", "ones"),
        s.stream().map(InitialFactors.Seed::name).toList());
  }

  @Test
  void aNonMonotoneFileIsRepairedWithAWarning() {
    // like the published ft_mis_128k: a dip at some dims
    InitialFactors.Seeds s =
        InitialFactors.resolve(
            init("[\"file\"]"), G, 4, 2048, 32, 1, FactorTable.of(1.11, 1.1, 1.3, 2));
    assertArrayEquals(new double[] {1.11, 1.11, 1.3, 2}, s.seeds().get(0).factors());
    assertTrue(s.warnings().get(0).contains("not monotone"), s.warnings().toString());
  }

  @Test
  void fileSeedsMustBeOneVectorOfHalfTheRotaryDimension() {
    assertThrows(
        IllegalArgumentException.class,
        () -> InitialFactors.resolve(init("[\"file\"]"), G, 4, 2048, 32, 1, FactorTable.of(1, 2)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            InitialFactors.resolve(
                init("[\"file\"]"),
                G,
                4,
                2048,
                32,
                1,
                FactorTable.ofRows(new double[][] {{1, 1, 1, 1}, {1, 2, 3, 4}})));
  }

  @Test
  void shortStageScalesBelowOneStartFromOnes() {
    SearchConfig c = SearchConfig.parse("{\"version\": 1, \"init\": [\"pi\", \"yarn\"]}", "t");
    for (InitialFactors.Seed s : InitialFactors.resolve(c, G, 0.5, 2048, 32, 1, null).seeds()) {
      assertArrayEquals(new double[] {1, 1, 1, 1}, s.factors(), s.name());
    }
  }
}
