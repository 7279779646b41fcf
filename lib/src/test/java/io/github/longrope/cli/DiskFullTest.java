package io.github.longrope.cli;

import static io.github.longrope.FaultChecks.linesWithout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.ChildJvm;
import io.github.longrope.pipeline.TinyPipeline;
import io.github.longrope.search.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the command runs in a child JVM inside a private mount namespace ({@code
 * unshare -rm}, an unprivileged user namespace, so no root is needed) whose output folder is a
 * tmpfs too small for the run. It must stop with exit 2 and one line naming the file and "No space
 * left on device" (no stack trace), leave no half-written output (a search: a history that reads
 * back, no {@code final/}; an export: no target and no temporary), and, once the tmpfs is grown,
 * run again to the uninterrupted result. Where user namespaces or tmpfs mounts are not allowed
 * (some CI containers), those two cases are skipped and say why; the third, a file size limit under
 * an export, needs no privilege and always runs.
 */
class DiskFullTest {
  @TempDir Path dir;

  /** The shell run inside the namespace: mount, first run, snapshot, grow, second run, snapshot. */
  static final String SCRIPT =
      """
      set -u
      M=$1; O=$2; SIZE=$3; AGAIN=$4; shift 4
      mount -t tmpfs -o size=$SIZE tmpfs "$M" || exit 90
      "$@" > "$O/first.log" 2>&1; echo $? > "$O/first.rc"
      cp -r "$M/." "$O/first"
      mount -o remount,size=64m "$M" || exit 91
      "$@" $AGAIN > "$O/second.log" 2>&1; echo $? > "$O/second.rc"
      cp -r "$M/." "$O/second"
      """;

  /** Skips a tmpfs case, saying why, where no tmpfs can be mounted without root. */
  void namespaceAndTmpfsAllowed() throws Exception {
    Path m = Files.createDirectory(dir.resolve("probe"));
    Process p;
    try {
      p =
          new ProcessBuilder("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=4k tmpfs " + m)
              .redirectErrorStream(true)
              .start();
    } catch (java.io.IOException e) {
      Assumptions.abort("no unshare(1) on this machine: " + e.getMessage());
      return;
    }
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    Assumptions.assumeTrue(
        p.exitValue() == 0,
        "a tmpfs cannot be mounted here (unprivileged user namespaces or tmpfs mounts are not"
            + " allowed): "
            + out.strip());
  }

  @Test
  void aSearchThatFillsTheDiskStopsCleanlyAndResumesToTheUninterruptedResult() throws Exception {
    namespaceAndTmpfsAllowed();
    TinyPipeline.writeModelAndData(dir);
    Path config = dir.resolve("search.json");
    Files.writeString(
        config,
        "{\"version\":1,\"population\":8,\"iterations\":4,\"mutations\":4,\"crossovers\":4,"
            + "\"parents\":4,\"init\":[\"pi\",\"yarn\"],\"seed\":1}");
    Path m = Files.createDirectory(dir.resolve("m"));
    Path run = m.resolve("run");
    List<String> args =
        List.of(
            "search",
            "--model",
            dir.resolve("model").toString(),
            "--data",
            dir.resolve("search.bin").toString(),
            "--target-length",
            "128",
            "--samples",
            "2",
            "--config",
            config.toString(),
            "--threads",
            "1",
            "--run");
    Path out = fault(m, "16k", "--resume", args, run.toString());

    String first = Files.readString(out.resolve("first.log"));
    assertEquals("2", Files.readString(out.resolve("first.rc")).strip(), first);
    assertTrue(first.contains("longrope search: error: "), first);
    assertTrue(first.contains(run.toString()) && first.contains("No space left on device"), first);
    assertFalse(first.contains("\tat "), "no stack trace: " + first);
    Path left = out.resolve("first/run");
    int kept = RunRecord.readHistory(left.resolve(RunRecord.HISTORY)).size();
    assertFalse(Files.exists(left.resolve(RunRecord.FINAL)), "no result of a run that stopped");
    assertNoTemporaries(out.resolve("first"));

    List<String> reference = new ArrayList<>(args);
    reference.add(dir.resolve("ref").toString());
    CliRun r = CliRun.of(reference.toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
    assertEquals(
        "0",
        Files.readString(out.resolve("second.rc")).strip(),
        ChildJvm.log(out.resolve("second.log")));
    Path resumed = out.resolve("second/run");
    List<String> history = linesWithout(resumed.resolve(RunRecord.HISTORY), "seconds");
    assertTrue(kept > 0 && kept < history.size(), "stopped mid-search after " + kept + " lines");
    assertEquals(linesWithout(dir.resolve("ref").resolve(RunRecord.HISTORY), "seconds"), history);
    Path factors = Path.of(RunRecord.FINAL, "result_final.csv");
    assertEquals(
        Files.readString(dir.resolve("ref").resolve(factors)),
        Files.readString(resumed.resolve(factors)));
  }

  @Test
  void anExportThatFillsTheDiskLeavesNothingAndTheNextOneCompletes() throws Exception {
    namespaceAndTmpfsAllowed();
    Path bundled = Path.of("../models/bundled");
    Path m = Files.createDirectory(dir.resolve("m"));
    List<String> args = List.of("export", "--model", bundled.toString(), "--dtype", "f32", "--out");
    // the f32 weights are 50 MB: 20 MB holds the config and part of them
    Path out = fault(m, "20m", "", args, m.resolve("out").toString());

    String first = Files.readString(out.resolve("first.log"));
    assertEquals("2", Files.readString(out.resolve("first.rc")).strip(), first);
    assertTrue(first.contains("longrope export: error: "), first);
    assertTrue(first.contains(m.toString()) && first.contains("No space left on device"), first);
    assertFalse(first.contains("\tat "), "no stack trace: " + first);
    try (Stream<Path> s = Files.list(out.resolve("first"))) {
      assertEquals(List.of(), s.toList(), "no target and no temporary after a full disk");
    }
    assertEquals(
        "0",
        Files.readString(out.resolve("second.rc")).strip(),
        ChildJvm.log(out.resolve("second.log")));
    List<String> reference = new ArrayList<>(args);
    reference.add(dir.resolve("ref").toString());
    CliRun r = CliRun.of(reference.toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
    try (Stream<Path> s = Files.list(dir.resolve("ref"))) {
      for (Path f : s.toList()) {
        assertArrayEquals(
            Files.readAllBytes(f),
            Files.readAllBytes(out.resolve("second/out").resolve(f.getFileName())),
            f.getFileName() + ": the export after the full disk is the uninterrupted one");
      }
    }
  }

  /**
   * The unprivileged stand-in where no tmpfs can be mounted: a file size limit ({@code ulimit -f},
   * 20 MB) under the 50 MB export. HotSpot ignores SIGXFSZ, so the write fails with EFBIG ("File
   * too large") as it would with ENOSPC, through the same error path; this one runs everywhere.
   */
  @Test
  void anExportOverTheFileSizeLimitLeavesNothingAndTheNextOneCompletes() throws Exception {
    Path out = dir.resolve("limited/out");
    Files.createDirectories(out.getParent());
    List<String> export =
        ChildJvm.command(
            Main.class.getName(),
            "export",
            "--model",
            "../models/bundled",
            "--dtype",
            "f32",
            "--out",
            out.toString());
    List<String> c = new ArrayList<>(List.of("sh", "-c", "ulimit -f 20000 && exec \"$@\"", "sh"));
    c.addAll(export);
    Path log = dir.resolve("limited.log");
    assertEquals(2, ChildJvm.finish(ChildJvm.start(log, c), 600, log), ChildJvm.log(log));
    String first = ChildJvm.log(log);
    assertTrue(first.contains("longrope export: error: cannot write " + out.getParent()), first);
    assertTrue(first.contains("File too large") && !first.contains("\tat "), first);
    try (Stream<Path> s = Files.list(out.getParent())) {
      assertEquals(List.of(), s.toList(), "no target and no temporary after a failed write");
    }
    assertEquals(0, ChildJvm.finish(ChildJvm.start(log, export), 600, log), ChildJvm.log(log));
    assertTrue(Files.size(out.resolve("model.safetensors")) > 20_000L * 1024, "complete");
  }

  /**
   * Runs {@code longrope ARGS… TARGET} twice inside a namespace with a tmpfs of {@code size} at
   * {@code m} (the second run with {@code again} appended, after growing it to 64 MB), and returns
   * the folder holding both runs' logs, exit codes and copies of the tmpfs after each.
   */
  Path fault(Path m, String size, String again, List<String> args, String target) throws Exception {
    Path out = Files.createDirectory(dir.resolve("out"));
    Path script = dir.resolve("fault.sh");
    Files.writeString(script, SCRIPT);
    List<String> c =
        new ArrayList<>(
            List.of("unshare", "-rm", "sh", script.toString(), m.toString(), out.toString()));
    c.add(size);
    c.add(again);
    List<String> cli = new ArrayList<>(args);
    cli.add(target);
    c.addAll(ChildJvm.command(Main.class.getName(), cli.toArray(String[]::new)));
    Path log = dir.resolve("unshare.log");
    assertEquals(0, ChildJvm.finish(ChildJvm.start(log, c), 600, log), ChildJvm.log(log));
    return out;
  }

  static void assertNoTemporaries(Path tree) throws Exception {
    try (Stream<Path> s = Files.walk(tree)) {
      List<Path> tmp = s.filter(p -> p.getFileName().toString().contains(".tmp")).toList();
      assertEquals(List.of(), tmp, "temporaries left behind");
    }
  }
}
