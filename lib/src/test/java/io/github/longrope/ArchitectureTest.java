package io.github.longrope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependency directions stated in each package-info: {@code rope} and {@code search} are JDK-only
 * (pure math, testable without native code), except that the search's run-record and config classes
 * read and write JSON (Jackson and the DJL-free {@code io} helpers); the search's model edge is the
 * separate package {@code search.fitness}. Nothing in {@code lib} reaches into the kernel. The
 * benchmarks ({@code bench}) are leaves that only the command line runs, and the command line
 * itself never touches DJL.
 */
class ArchitectureTest {
  static final Path MAIN = Path.of("src/main/java/io/github/longrope");

  static List<String> importsOf(String pkg) throws IOException {
    List<String> imports = new ArrayList<>();
    try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("import ")) {
            imports.add(f.getFileName() + ": " + line);
          }
        }
      }
    }
    return imports;
  }

  /** Files of {@code search} that read or write JSON. */
  static final List<String> SEARCH_JSON = List.of("RunRecord.java", "SearchConfig.java");

  /** The DJL-free {@code io} helpers those files may use. */
  static final List<String> IO_HELPERS =
      List.of(
          "io.github.longrope.io.AtomicFiles;",
          "io.github.longrope.io.Json;",
          "io.github.longrope.io.JsonDiff;",
          "io.github.longrope.io.FormatException;",
          "io.github.longrope.io.RunSpecs;");

  @Test
  void ropeAndSearchUseTheJdkOnly() throws IOException {
    for (String pkg : List.of("rope", "search")) {
      for (String imp : importsOf(pkg)) {
        String target = imp.substring(imp.indexOf("import ") + 7).replace("static ", "");
        boolean json =
            pkg.equals("search")
                && SEARCH_JSON.contains(imp.substring(0, imp.indexOf(':')))
                && (target.startsWith("com.fasterxml.jackson.") || IO_HELPERS.contains(target));
        assertTrue(
            json || target.startsWith("java.") || target.startsWith("io.github.longrope.rope."),
            pkg + " may only depend on the JDK (and rope): " + imp);
      }
    }
  }

  @Test
  void libraryNeverImportsTheKernel() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        assertTrue(
            Files.readAllLines(f).stream()
                .noneMatch(l -> l.startsWith("import io.github.longrope.kernel")),
            f + " imports the kernel");
      }
    }
  }

  @Test
  void reportKnowsNoModels() throws IOException {
    for (String imp : importsOf("report")) {
      String target = imp.substring(imp.indexOf("import ") + 7).replace("static ", "");
      assertTrue(
          target.startsWith("java.")
              || target.startsWith("javax.")
              || target.startsWith("tech.tablesaw.")
              || target.startsWith("org.knowm.xchart.")
              || target.startsWith("com.fasterxml.jackson.")
              || target.startsWith("io.github.longrope.io."),
          "report may use Tablesaw, XChart, Jackson and io only: " + imp);
    }
  }

  @Test
  void evaluationCodeDoesNotTouchDjl() throws IOException {
    for (String pkg : List.of("eval", "eval/mc", "cli")) {
      for (String imp : importsOf(pkg)) {
        assertTrue(!imp.contains("import ai.djl."), pkg + " drives models through Decoder: " + imp);
      }
    }
  }

  @Test
  void benchmarksAreLeavesWithDjlOnlyForTheMatmul() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (f.startsWith(MAIN.resolve("bench")) || f.startsWith(MAIN.resolve("cli"))) {
          continue;
        }
        assertTrue(
            Files.readAllLines(f).stream()
                .noneMatch(l -> l.startsWith("import io.github.longrope.bench.")),
            f + " imports a benchmark: only the command line runs them");
      }
    }
    for (String imp : importsOf("bench")) {
      assertTrue(
          !imp.contains("import ai.djl.") || imp.startsWith("ForwardBench.java:"),
          "bench uses DJL only for ForwardBench's plain matmul: " + imp);
    }
  }

  /**
   * No two paths of the repository differ only in case: on a case-insensitive file system (macOS's
   * and Windows' defaults) a clone would keep one of them and silently lose the other, as it once
   * would have with the search's {@code CmaEs.java} beside {@code Cmaes.java}.
   */
  @Test
  void noTwoPathsDifferOnlyInCase() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> tracked = trackedFiles(root);
    Map<String, String> seen = new HashMap<>();
    List<String> clashes = new ArrayList<>();
    for (String file : tracked) {
      // the file and every folder above it
      for (String p = file;
          !p.isEmpty();
          p = p.contains("/") ? p.substring(0, p.lastIndexOf('/')) : "") {
        String before = seen.putIfAbsent(p.toLowerCase(Locale.ROOT), p);
        if (before != null && !before.equals(p)) {
          clashes.add(before + " ~ " + p);
        }
      }
    }
    assertTrue(tracked.size() > 100, "read " + tracked.size() + " paths under " + root);
    assertTrue(clashes.isEmpty(), "paths that differ only in case: " + clashes);
  }

  /**
   * The repository's files: what git tracks plus what it would add (untracked, not ignored), so
   * that a local download in an ignored folder cannot fail the test, and a new file can.
   */
  static List<String> trackedFiles(Path root) throws Exception {
    Process p =
        new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
            .directory(root.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor(), "git ls-files in " + root);
    List<String> files = new ArrayList<>();
    for (String f : new String(out, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
      if (!f.isEmpty()) {
        files.add(f);
      }
    }
    return files;
  }
}
