package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Versioned hyper-parameter files: defaults, evo_scale, and errors that name the key. */
class SearchConfigTest {
  static final Path CONFIGS = Path.of("../configs/search");

  static String error(String json) {
    return assertThrows(IllegalArgumentException.class, () -> SearchConfig.parse(json, "test.json"))
        .getMessage();
  }

  @Test
  void officialDefaults() {
    SearchConfig c = SearchConfig.defaults("dim_mono");
    assertEquals(64, c.effectivePopulation());
    assertEquals(40, c.effectiveIterations());
    assertEquals(16, c.effectiveMutations());
    assertEquals(16, c.effectiveCrossovers());
    assertEquals(32, c.effectiveParents());
    assertEquals(20, c.effectiveMaxCrossoverTries());
    assertEquals(0.01, c.step());
    assertEquals(0.3, c.mutationProbability());
    assertEquals(List.of("yarn"), c.init());
    assertEquals(9.0, c.maxFactor(8), "upstream evo_max = 1 + s");
    assertTrue(!c.startTokens().search());
  }

  @Test
  void bundledConfigFilesLoadAndMirrorTheOfficialDefaults() throws Exception {
    try (Stream<Path> files = Files.list(CONFIGS)) {
      List<Path> json = files.filter(p -> p.toString().endsWith(".json")).toList();
      assertTrue(json.size() >= 3, json.toString());
      for (Path f : json) {
        SearchConfig c = SearchConfig.read(f);
        assertEquals(64, c.effectivePopulation(), f.toString());
      }
    }
    SearchConfig mono = SearchConfig.read(CONFIGS.resolve("dim_mono.json"));
    assertEquals(SearchConfig.defaults("dim_mono"), mono);
    assertEquals(
        SearchConfig.defaults("dim_piece_mono"),
        SearchConfig.read(CONFIGS.resolve("dim_piece_mono.json")));
    // LongRoPE2's search: the paper's P 64, T 40, p 0.3 are the defaults; [s, 2s]
    assertEquals(
        SearchConfig.defaults("critical_dim"),
        SearchConfig.read(CONFIGS.resolve("critical_dim.json")));
    SearchConfig n = SearchConfig.read(CONFIGS.resolve("dim_mono_n.json"));
    assertTrue(n.startTokens().search());
    assertEquals(80, n.effectiveIterations());
    assertEquals(
        List.of(0, 1, 2, 4, 8, 12, 16, 20, 24, 28, 32, 48, 64), n.startTokens().candidates());
  }

  @Test
  void evoScaleTruncatesEveryCount() {
    // the old branch's dim_mono: evo_scale 0.1
    SearchConfig c = SearchConfig.parse("{\"version\": 1, \"evo_scale\": 0.1}", "t");
    assertEquals(6, c.effectivePopulation());
    assertEquals(4, c.effectiveIterations());
    assertEquals(1, c.effectiveMutations());
    assertEquals(1, c.effectiveCrossovers());
    assertEquals(3, c.effectiveParents());
    assertEquals(2, c.effectiveMaxCrossoverTries());
  }

  @Test
  void maxFactorForms() {
    assertEquals(11.0, parse("\"max_factor\": \"1.25*s\"").maxFactor(8.8), 1e-12);
    assertEquals(16.0, parse("\"max_factor\": \"2 * s\"").maxFactor(8), 1e-12);
    assertEquals(5.0, parse("\"max_factor\": \"5\"").maxFactor(8), 1e-12);
    assertTrue(error("{\"version\": 1, \"max_factor\": \"s^2\"}").contains("'max_factor'"));
  }

  static SearchConfig parse(String more) {
    return SearchConfig.parse("{\"version\": 1, " + more + "}", "t");
  }

  @Test
  void errorsNameTheFileAndKey() {
    String e = error("{\"version\": 1, \"parents\": 80}");
    assertTrue(e.startsWith("test.json") && e.contains("'parents'") && e.contains("population"), e);
    e = error("{\"version\": 1, \"step\": 0}");
    assertTrue(e.contains("'step'") && e.contains("> 0"), e);
    e = error("{\"version\": 1, \"step\": -0.01}");
    assertTrue(e.contains("'step'"), e);
    e = error("{\"version\": 1, \"algorithm\": \"simulated_annealing\"}");
    assertTrue(e.contains("'algorithm'") && e.contains("dim_piece_mono"), e);
    e = error("{\"version\": 1, \"populaton\": 10}");
    assertTrue(e.contains("'populaton'") && e.contains("unknown") && e.contains("population"), e);
    e = error("{\"algorithm\": \"dim_mono\"}");
    assertTrue(e.contains("'version'") && e.contains("required"), e);
    e = error("{\"version\": 2}");
    assertTrue(e.contains("'version'"), e);
    e = error("{\"version\": 1, \"init\": [\"pi\", \"rope\"]}");
    assertTrue(e.contains("'init'") && e.contains("rope"), e);
    e = error("{\"version\": 1, \"init\": [\"file\"]}");
    assertTrue(e.contains("'init_file'"), e);
    e = error("{\"version\": 1, \"parents\": 1}");
    assertTrue(e.contains("crossover needs at least 2 parents"), e);
    e = error("{\"version\": 1, \"mutation_probability\": 1.5}");
    assertTrue(e.contains("'mutation_probability'"), e);
    e = error("{\"version\": 1, \"start_tokens\": {\"search\": true, \"candidates\": [4, 4]}}");
    assertTrue(e.contains("'start_tokens.candidates'"), e);
    e = error("{\"version\": 1, \"evo_scale\": 0.001}");
    assertTrue(e.contains("'population'") && e.contains("evo_scale"), e);
    e = error("{\"version\": 1, \"population\": \"many\"}");
    assertTrue(e.startsWith("test.json") && e.contains("key 'population'"), e);
    // a fraction is not silently truncated to a count
    e = error("{\"version\": 1, \"population\": 6.7}");
    assertTrue(e.contains("key 'population'"), e);
    e = error("{\"version\": 1, \"start_tokens\": {\"parents\": 2.5}}");
    assertTrue(e.contains("key 'start_tokens.parents'"), e);
  }

  @Test
  void resolvedJsonRoundTrips() {
    SearchConfig c = parse("\"algorithm\": \"dim_piece_mono\", \"evo_scale\": 0.5, \"seed\": 3");
    assertEquals(c, SearchConfig.parse(c.toJsonText(), "resolved"));
    assertTrue(c.toJson().has("max_crossover_tries"));
    assertEquals(1, c.toJson().get("version").asInt());
  }
}
