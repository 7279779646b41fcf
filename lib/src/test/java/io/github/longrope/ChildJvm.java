package io.github.longrope;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM on this test's class path, for faults that only a real process can suffer: {@code
 * kill -9} (SIGKILL, no shutdown hook, no finally block) at a chosen point, or a full disk. The
 * fault-injection tests (search, export, train, pipeline, eval, disk full) all start their children
 * here, so that "how a child is started, watched and killed" is written once.
 *
 * <p>The child's stdout and stderr are appended to one log file, which every failed assertion
 * quotes.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** The {@code java} of this JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code java -Dai.djl.offline=true -cp CLASSPATH MAIN ARGS…}, for wrapping (disk-full test). */
  public static List<String> command(String mainClass, String... args) {
    List<String> c = new ArrayList<>();
    c.add(java());
    c.add("-Dai.djl.offline=true");
    c.add("-cp");
    c.add(System.getProperty("java.class.path"));
    c.add(mainClass);
    c.addAll(List.of(args));
    return c;
  }

  /** Starts {@code mainClass} with {@code args}, output appended to {@code log}. */
  public static Process start(Path log, String mainClass, String... args) {
    return start(log, command(mainClass, args));
  }

  /** Starts the command line {@code longrope ARGS…} ({@code cli.Main}). */
  public static Process cli(Path log, String... args) {
    return start(log, "io.github.longrope.cli.Main", args);
  }

  /** Starts any command, output appended to {@code log}. */
  public static Process start(Path log, List<String> command) {
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A condition on the files a child writes, polled every millisecond. */
  @FunctionalInterface
  public interface Probe {
    boolean reached() throws Exception;
  }

  /**
   * Waits (at most {@code seconds}) until {@code when} holds, asserts the child is still running,
   * and kills it with SIGKILL ({@link Process#destroyForcibly} on Unix).
   *
   * @param what the kill point, for the failure message
   */
  public static void killWhen(Process p, Probe when, int seconds, Path log, String what)
      throws Exception {
    killEachWhen(List.of(p), List.of(when), seconds, List.of(log), List.of(what));
  }

  /**
   * {@link #killWhen} for children running side by side: polls every pending child's condition and
   * kills each as soon as its own holds (at most {@code seconds} in all), so that a slow poll of
   * one never lets another run past its kill point.
   *
   * @param what one name per child, for the failure message
   */
  public static void killEachWhen(
      List<Process> children, List<Probe> when, int seconds, List<Path> logs, List<String> what)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    boolean[] killed = new boolean[children.size()];
    int left = children.size();
    try {
      while (left > 0) {
        for (int i = 0; i < killed.length; i++) {
          Process p = children.get(i);
          if (killed[i]) {
            continue;
          }
          boolean late = System.nanoTime() > deadline;
          if (late || !p.isAlive() || when.get(i).reached()) {
            assertTrue(
                p.isAlive() && !late,
                "the child should still be running at " + what.get(i) + ": " + log(logs.get(i)));
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
            killed[i] = true;
            left--;
          }
        }
        Thread.sleep(1);
      }
    } finally {
      children.forEach(Process::destroyForcibly); // after a failure: no child outlives the test
    }
  }

  /** Waits (at most {@code seconds}) for the child to end and returns its exit status. */
  public static int finish(Process p, int seconds, Path log) throws Exception {
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("the child did not finish in " + seconds + " s: " + log(log));
    }
    return p.exitValue();
  }

  /** Lines in a file (0 when it does not exist yet), for kill points. */
  public static int lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file).size() : 0;
  }

  /** The child's log, or a note that there is none. */
  public static String log(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "(no output)";
  }
}
