package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the independent PyTorch reference ({@code test-tools/reference_llama.py}, Debian's
 * python3-torch). Outside CI a missing torch skips the tests that need it; under {@code CI=true} it
 * fails them, so the comparison can never silently disappear from CI.
 */
public final class TorchReference {
  public static final Path SCRIPT = locate();
  static final String PYTHON = "/usr/bin/python3";

  private TorchReference() {}

  private static Path locate() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("test-tools/reference_llama.py"))) {
      dir = dir.getParent();
    }
    return dir == null ? null : dir.resolve("test-tools/reference_llama.py");
  }

  /** Skips (locally) or fails (CI) unless python3 with torch is available. */
  public static void require() {
    boolean ok = SCRIPT != null && available();
    if (!ok && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(
          "CI must install python3-torch (scripts/ensure-tools) for the reference tests");
    }
    Assumptions.assumeTrue(ok, "python3-torch not installed: reference comparison skipped");
  }

  private static boolean available() {
    try {
      run(List.of(PYTHON, "-c", "import torch"), 60);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Runs the reference script with arguments; returns its stdout. */
  public static String script(String... args) {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, SCRIPT.toString()));
    cmd.addAll(Arrays.asList(args));
    return run(cmd, 600);
  }

  /** Reference logits [T × vocab] for a model directory and ids, with an optional rope override. */
  public static float[] logits(
      Path model, int[] ids, String ropeScalingJson, int vocab, Path work) {
    Path out = work.resolve("logits-" + System.nanoTime() + ".bin");
    String idList = Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
    List<String> args =
        new ArrayList<>(
            List.of(
                "logits", "--model", model.toString(), "--ids", idList, "--out", out.toString()));
    if (ropeScalingJson != null) {
      args.add("--rope-scaling");
      args.add(ropeScalingJson);
    }
    script(args.toArray(String[]::new));
    try {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
      float[] v = new float[b.remaining() / 4];
      b.asFloatBuffer().get(v);
      assertEquals((long) ids.length * vocab, v.length, "reference logits size");
      return v;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String run(List<String> cmd, int timeoutSeconds) {
    try {
      Path log = Files.createTempFile("reference", ".log");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(log.toFile()).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timeout: " + cmd);
      }
      String err = Files.readString(log);
      Files.deleteIfExists(log);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + err);
      }
      return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
