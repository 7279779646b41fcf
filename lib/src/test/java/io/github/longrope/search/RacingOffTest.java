package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With racing off the search is bit for bit the search before racing existed: the digest below is
 * of the (generation, factors, n̂, scale, fitness) lines of a small search with the n̂ search on,
 * computed with the code as it was before racing and accounting were added (commit 21f294b).
 */
class RacingOffTest {
  @TempDir Path work;

  static final String GOLDEN = "58163118d5b6c39df13a4b6392c67a6c0242b3c31cf08414307937741dd051e5";

  static String digest(Path dir) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (HistoryEntry e : RunRecord.readHistory(dir.resolve(RunRecord.HISTORY))) {
      String line =
          e.generation()
              + " "
              + java.util.Arrays.toString(e.candidate().factors())
              + " "
              + e.candidate().startTokens()
              + " "
              + e.candidate().scale()
              + " "
              + e.fitness()
              + "\n";
      md.update(line.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Test
  void racingOffGivesTheHistoryOfTheSearchBeforeRacing() throws Exception {
    SearchConfig c = ResumeTest.config();
    try (Evaluator ev = Evaluator.sequential(ResumeTest.fitness());
        RunRecord rec = RunRecord.open(work, ResumeTest.resolved(c), false)) {
      new EvolutionSearch(c, Synthetic.problem(c, ResumeTest.PAIRS, ResumeTest.S))
          .run(ev, rec, null);
    }
    assertEquals(GOLDEN, digest(work));
  }

  @Test
  void racingOffResolvesToTheConfigOfBeforeRacing() {
    // a run record written before racing resumes: its config.json has no racing key
    for (String off : new String[] {"", ", \"racing\": {\"enabled\": false, \"slack\": 0.1}"}) {
      SearchConfig c = SearchConfig.parse("{\"version\": 1" + off + "}", "test");
      org.junit.jupiter.api.Assertions.assertFalse(c.toJson().has("racing"), c.toJsonText());
      org.junit.jupiter.api.Assertions.assertFalse(c.toJson().has("cmaes"), c.toJsonText());
    }
    SearchConfig on = SearchConfig.parse("{\"version\": 1, \"racing\": {\"enabled\": true}}", "t");
    assertEquals("{\"enabled\":true,\"slack\":null}", on.toJson().get("racing").toString());
  }

  @Test
  void badRacingSettingsNameTheirKey() {
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuntimeException.class,
            () ->
                SearchConfig.parse(
                    "{\"version\": 1, \"racing\": {\"enabled\": true, \"slack\": -1}}", "t"));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("racing.slack"), e.getMessage());
  }
}
