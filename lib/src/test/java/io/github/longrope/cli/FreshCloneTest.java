package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.data.Corpus;
import io.github.longrope.data.DatasetBuilder;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.io.Json;
import io.github.longrope.notebook.Workbench;
import io.github.longrope.pipeline.Stage;
import io.github.longrope.search.RunRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed run records work in a checkout at any other path, as a newcomer's clone is: the
 * repository's tracked files are copied to a temporary folder, and the README's main command
 * ({@code longrope quickstart}), {@code search --resume} and {@code pipeline --resume} run there in
 * child JVMs started in that folder, as the launcher starts them.
 *
 * <p>The corpus is built once in this checkout when missing (as the quickstart would) and linked
 * into the copy, since token data is not committed.
 */
class FreshCloneTest {
  @TempDir static Path tmp;
  static Path clone;

  @BeforeAll
  static void cloneTheRepository() throws Exception {
    Path home = Workbench.home();
    Corpus.ensure(
        home.resolve("datasets"), List.of("search", "eval-books"), DatasetBuilder.Listener.SILENT);
    clone = tmp.resolve("somebody else's/my-longrope");
    Process ls =
        new ProcessBuilder("git", "ls-files", "-z")
            .directory(home.toFile())
            .redirectErrorStream(true)
            .start();
    String files = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, ls.waitFor(), files);
    for (String f : files.split("\0")) {
      Path from = home.resolve(f);
      if (!f.isEmpty() && Files.isRegularFile(from)) {
        Path to = clone.resolve(f);
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
      }
    }
    Files.createSymbolicLink(
        clone.resolve("datasets/corpus/data"), Corpus.dataDir(home.resolve("datasets")));
  }

  /** {@code longrope ARGS} in the clone; stopped once its output contains {@code until}. */
  private static String longrope(String until, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "-Dlongrope.home=" + clone,
            "-Dai.djl.offline=true",
            Main.class.getName()));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(tmp, "longrope", ".log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(clone.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      while (p.isAlive() && System.nanoTime() < deadline) {
        if (until != null && Files.readString(log).contains(until)) {
          break;
        }
        Thread.sleep(100);
      }
      boolean finished = !p.isAlive();
      String out = Files.readString(log);
      assertTrue(finished || until != null && out.contains(until), "no progress:\n" + out);
      return (finished ? "exit " + p.exitValue() + "\n" : "") + out;
    } finally {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Whether this machine's corpus holds the search split the committed records were made on. The
   * corpus is rebuilt from Debian packages, so a newer package could change it; then the records
   * must be refused by content (and the quickstart start over), which these tests check instead.
   */
  private static boolean sameSearchData(Path run) {
    String committed =
        Json.readObject(run.resolve(RunRecord.CONFIG)).path("fingerprints").path("data").asText();
    return committed.equals(
        DocumentSources.fingerprint(clone.resolve("datasets/corpus/data/search")));
  }

  @Test
  void theMainCommandResumesTheCommittedSearch() throws Exception {
    Path run = clone.resolve("results/quickstart/search");
    String config = Files.readString(run.resolve(RunRecord.CONFIG));
    int lines = RunRecord.readHistory(run.resolve(RunRecord.HISTORY)).size();
    boolean same = sameSearchData(run);
    // stopped once the search stage is done: what follows does not touch the search record
    String out = longrope(Stage.SEARCH_LONG.dirName() + ": done", "quickstart");
    assertFalse(out.contains("error"), out);
    if (!same) {
      // another corpus build: never an error, one line saying why it starts over
      assertTrue(out.contains("starting over") && out.contains("fingerprints.data"), out);
      return;
    }
    assertTrue(out.contains("resuming results/quickstart/search"), out);
    assertFalse(out.contains("starting over"), out);
    assertEquals(lines, RunRecord.readHistory(run.resolve(RunRecord.HISTORY)).size(), out);
    assertEquals(config, Files.readString(run.resolve(RunRecord.CONFIG)));
  }

  @Test
  void searchResumeFindsTheRecordsInputsAndRefusesAChangedModel() throws Exception {
    boolean same = sameSearchData(clone.resolve("results/quickstart/search"));
    String out =
        longrope(null, "search", "--run", "results/quickstart/search", "--resume", "--json");
    if (same) {
      assertTrue(out.startsWith("exit 0"), out);
      String json = out.substring(out.indexOf("\n{") + 1);
      assertEquals(0, Json.parseObject(json, "stdout").get("evaluated_this_session").asInt(), out);
    } else {
      assertTrue(out.startsWith("exit 2") && out.contains("'fingerprints.data'"), out);
    }

    // made on the bundled model before its retrieval fine-tune: other weights, refused by name
    String full = longrope(null, "search", "--run", "results/quickstart-full/search", "--resume");
    assertTrue(full.startsWith("exit 2"), full);
    assertTrue(full.contains("'fingerprints.model'"), full);
  }

  @Test
  void pipelineResumeFindsEveryStageDone() throws Exception {
    String out =
        longrope(null, "pipeline", "--config", "configs/pipeline/bundled-16k.json", "--resume");
    assertTrue(out.startsWith("exit 0"), out);
  }
}
