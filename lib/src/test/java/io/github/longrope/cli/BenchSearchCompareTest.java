package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.bench.SearchCompare;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench search --compare} end to end on a tiny model and corpus: every strategy runs seed by
 * seed, the report is written after each seed, and a longer comparison reuses what a shorter one
 * ran, held-out evaluations included.
 */
class BenchSearchCompareTest {
  @TempDir Path dir;

  @Test
  void aComparisonGrowsSeedBySeedAndReusesWhatItRan() throws Exception {
    Path model = TinyModelDir.write(dir);
    Path corpus = dir.resolve("corpus");
    for (String split : List.of("search", "eval-books", "eval-prose")) {
      Files.createDirectories(corpus.resolve(split));
      for (int i = 0; i < 2; i++) {
        Files.writeString(
            corpus.resolve(split).resolve("t" + i + ".txt"),
            TinyModelDir.SENTENCE.repeat(40 + 7 * i));
      }
    }
    Path out = dir.resolve("out");
    String line =
        "bench search --compare --json --model {} --corpus {} --target-length 64 --samples 2"
            + " --population 4 --iterations 1 --cmaes-population 4 --heldout-pieces 2"
            + " --threads 1 --output {} --seeds ";
    CliRun seedOne = CliRun.line(line + "1", model, corpus, out);
    JsonNode one = seedOne.json();
    // racing rejected nothing on this tiny problem, so both evolutions end on the same factors
    // and the second takes the first's held-out result instead of evaluating it again
    assertEquals(
        Files.readString(out.resolve("runs/evolution-seed1/final/rope_scaling.json")),
        Files.readString(out.resolve("runs/evolution-racing-seed1/final/rope_scaling.json")));
    assertTrue(seedOne.err().contains("the factors of evolution-seed1"), seedOne.err());
    assertEquals(1, one.get("seeds").asInt());
    assertEquals(1, one.get("seeds_planned").asInt());
    assertEquals(SearchCompare.STRATEGIES.size(), one.get("rows").size());
    Path stored = out.resolve("runs/cmaes-racing-seed1/" + "heldout.json");
    FileTime before = Files.getLastModifiedTime(stored);

    JsonNode two = CliRun.line(line + "2", model, corpus, out).json();
    assertEquals(2, two.get("seeds").asInt());
    assertEquals(2 * SearchCompare.STRATEGIES.size(), two.get("rows").size());
    assertEquals(before, Files.getLastModifiedTime(stored), "seed 1's held-out result is reused");
    for (int s = 0; s < SearchCompare.STRATEGIES.size(); s++) {
      JsonNode first = one.get("rows").get(s);
      JsonNode again = two.get("rows").get(2 * s); // strategy-major: seed 1 of strategy s
      assertEquals(first.get("strategy"), again.get("strategy"));
      assertEquals(1, again.get("seed").asInt());
      for (String key : List.of("final_fitness", "heldout_ppl_2048", "heldout_ppl_4096")) {
        assertEquals(first.get(key).asDouble(), again.get(key).asDouble(), 0, key);
      }
      assertTrue(again.get("heldout_ppl_2048").asDouble() > 1, again.toString());
    }
    SearchCompare.Report written = SearchCompare.Report.read(out.resolve("compare.json"));
    assertEquals(2, written.seeds());
    assertEquals(two.get("target").asDouble(), written.target(), 0);
    assertEquals(SearchCompare.STRATEGIES.size(), two.get("summary").size(), "medians in --json");
    assertEquals(2, two.get("summary").get(0).get("seeds").asInt());
    assertEquals(
        written.summary().get(0).finalFitness(),
        two.get("summary").get(0).get("final_fitness").asDouble(),
        0);

    // other held-out documents: the searches are reused, their held-out values are not
    String fewer = line.replace("--heldout-pieces 2", "--heldout-pieces 1");
    JsonNode other = CliRun.line(fewer + "2", model, corpus, out).json();
    assertTrue(Files.getLastModifiedTime(stored).compareTo(before) > 0, "re-evaluated");
    assertEquals(two.get("target"), other.get("target"), "same searches");
    assertTrue(other.get("heldout").asText().startsWith("1 of"), other.get("heldout").asText());

    // a strategy added later: the finished runs are read first and reported beside it
    FileTime evolution =
        Files.getLastModifiedTime(out.resolve("runs/evolution-seed2/heldout.json"));
    CliRun added =
        CliRun.line(
            fewer + "2 --strategies evolution,cmaes-critical+racing,cmaes+racing",
            model,
            corpus,
            out);
    JsonNode more = added.json();
    assertTrue(
        added.err().indexOf("evolution seed 2") < added.err().indexOf("cmaes-critical"),
        added.err());
    assertEquals(2, more.get("seeds").asInt());
    assertEquals(other.get("target"), more.get("target"), "the evolution's two seeds");
    assertEquals(3, more.get("summary").size());
    assertEquals("cmaes-critical+racing", more.get("summary").get(2).get("strategy").asText());
    assertEquals(2, more.get("summary").get(2).get("seeds").asInt());
    assertEquals(6, more.get("rows").size());
    assertEquals(
        evolution, Files.getLastModifiedTime(out.resolve("runs/evolution-seed2/heldout.json")));
    assertTrue(
        Files.isRegularFile(out.resolve("runs/cmaes-critical-racing-seed1/final/summary.json")));
  }

  @Test
  void aCorpusWithoutTheHeldOutSplitIsAnErrorNamingFlagAndSplit() throws Exception {
    Path model = TinyModelDir.write(dir);
    Path corpus = dir.resolve("corpus");
    Files.createDirectories(corpus.resolve("search"));
    Files.createDirectories(corpus.resolve("eval-books"));
    CliRun r =
        CliRun.line(
            "bench search --compare --model {} --corpus {} --output {}",
            model,
            corpus,
            dir.resolve("out"));
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("--corpus " + corpus + ": no split 'eval-prose'"), r.err());
    assertTrue(r.err().contains("./longrope data prepare corpus"), r.err());
    assertTrue(!r.err().contains("Exception"), r.err());
  }
}
