package io.github.longrope.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent PyTorch reference, {@code test-tools/reference_llama.py}, with Debian's
 * {@code /usr/bin/python3} (python3-torch). Used by {@code bench} to measure PyTorch side by side
 * with the Java decoder, and by tests as the numerical oracle.
 */
public final class ReferenceScript {
  public static final String PYTHON = "/usr/bin/python3";

  private ReferenceScript() {}

  /** The script, found from {@code -Dlongrope.home} (set by the launcher) or the working dir up. */
  public static Path locate() {
    String home = System.getProperty("longrope.home");
    Path dir = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("test-tools/reference_llama.py"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "test-tools/reference_llama.py not found (run from the repository)");
    }
    return dir.resolve("test-tools/reference_llama.py");
  }

  /** True when python3 can import torch. */
  public static boolean available() {
    try {
      run(List.of(PYTHON, "-c", "import torch"), 120, null);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Runs the script; returns stdout. stderr goes to {@code stderrTo} (or is kept for errors). */
  public static String script(Path stderrTo, String... args) {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, locate().toString()));
    cmd.addAll(Arrays.asList(args));
    return run(cmd, 3600, stderrTo);
  }

  private static String run(List<String> cmd, int timeoutSeconds, Path stderrTo) {
    try {
      Path log = stderrTo != null ? stderrTo : Files.createTempFile("reference", ".log");
      Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + cmd);
      }
      String err = Files.readString(log);
      if (stderrTo == null) {
        Files.deleteIfExists(log);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + err);
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
