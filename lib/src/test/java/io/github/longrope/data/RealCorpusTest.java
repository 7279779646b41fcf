package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the real corpus from Debian packages (apt-get download on first use, cached in {@code
 * datasets/.cache/}); about 1.5 minutes. Run with {@code LONGROPE_REAL_DATA=1 ./run-tests -pl lib
 * -Dtest=RealCorpusTest}.
 */
@EnabledIfEnvironmentVariable(named = "LONGROPE_REAL_DATA", matches = "1")
class RealCorpusTest {
  @TempDir Path dir;

  /** Tokens per text with the bundled tokenizer (python library: by its pinned sha256). */
  static final Map<String, Integer> TOKENS =
      Map.ofEntries(
          Map.entry("austen_emma", 233_004),
          Map.entry("austen_mansfieldpark", 228_032),
          Map.entry("austen_northangerabbey", 111_363),
          Map.entry("austen_persuasion", 121_379),
          Map.entry("austen_prideprejudice", 176_599),
          Map.entry("austen_sensesensibility", 176_932),
          Map.entry("web_old_testament", 1_056_612),
          Map.entry("web_new_testament", 237_469),
          Map.entry("jargon_file", 477_631),
          Map.entry("devils_dictionary", 106_535),
          Map.entry("python_docs_guides", 841_848),
          Map.entry("4ba535aafe8fe484cd65e6b466f000d72c5a91dd0f25bd5dc086ee3f4910d3d6", 1_793_975),
          Map.entry("504652c8d23ac69a7423ad07c27ba2a0aaf83fc10d41345ab8be1c3306795cc6", 1_793_458),
          Map.entry("pari_users_guide", 1_013_269),
          Map.entry("hol_topology", 820_224),
          Map.entry("hol_integration", 606_025),
          Map.entry("coq_reals", 630_145));

  @Test
  void corpusBuildsAsPinnedWithDisjointSplits() {
    Path cache = Path.of("../datasets/.cache").toAbsolutePath();
    DatasetBuilder.Result r =
        DatasetBuilder.run(
            new DatasetBuilder.Config(
                Recipes.CORPUS, dir.resolve("corpus"), null, Fixtures.TOKENIZER, true),
            new DebianSource(cache, false, System.err::println),
            DatasetBuilder.Listener.SILENT);
    for (DatasetBuilder.TextResult t : r.texts()) {
      String key = t.text().id().equals("python_docs_library") ? t.sha256() : t.text().id();
      assertEquals(TOKENS.get(key), t.tokens(), t.text().id());
    }
    Set<String> seen = new HashSet<>();
    int documents = 0;
    for (DatasetBuilder.SplitResult s : r.splits()) {
      TokenFile f = TokenFile.open(s.prefix());
      for (int i = 0; i < f.size(); i++) {
        seen.add(Hashes.sha256(f.document(i)));
        documents++;
      }
    }
    assertEquals(21, documents); // 5 train + 5 valid + 3 search + 1 + 2 + 1 + 4 eval
    assertEquals(documents, seen.size(), "no document in two splits");
    long train = r.splits().get(0).tokens();
    assertTrue(train > 2_300_000 && train < 2_500_000, "training tokens " + train);
  }
}
