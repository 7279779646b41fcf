package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.longrope.bench.ReferenceScript;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * The independent PyTorch reference in tests ({@code test-tools/reference_llama.py}, Debian's
 * python3-torch). Outside CI a missing torch skips the tests that need it; under {@code CI=true} it
 * fails them, so the comparison can never silently disappear from CI.
 */
public final class TorchReference {
  private TorchReference() {}

  /** Skips (locally) or fails (CI) unless python3 with torch is available. */
  public static void require() {
    boolean ok = ReferenceScript.available();
    if (!ok && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(
          "CI must install python3-torch (scripts/ensure-tools --tests) for the reference tests");
    }
    Assumptions.assumeTrue(ok, "python3-torch not installed: reference comparison skipped");
  }

  /** Runs the reference script; returns its stdout. */
  public static String script(String... args) {
    return ReferenceScript.script(null, args);
  }

  /**
   * A reference checkpoint made by the script under {@code work/family} (once per folder): {@code
   * mistral-window} is Mistral with a sliding window of 8.
   */
  public static Path checkpoint(Path work, String family, long seed) {
    Path dir = work.resolve(family);
    if (!Files.exists(dir.resolve("config.json"))) {
      List<String> args = new ArrayList<>(List.of("make", "--out", dir.toString()));
      args.addAll(List.of("--seed", Long.toString(seed), "--family"));
      if (family.equals("mistral-window")) {
        args.addAll(List.of("mistral", "--sliding-window", "8"));
      } else {
        args.add(family);
      }
      script(args.toArray(String[]::new));
    }
    return dir;
  }

  /**
   * log softmax of {@code logits[row × vocab + target]}, in double with the max subtracted: the
   * independent reference the evaluation tests compare our log-likelihoods with.
   */
  public static double logSoftmax(float[] logits, int row, int vocab, int target) {
    double max = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < vocab; v++) {
      max = Math.max(max, logits[row * vocab + v]);
    }
    double s = 0;
    for (int v = 0; v < vocab; v++) {
      s += Math.exp(logits[row * vocab + v] - max);
    }
    return logits[row * vocab + target] - max - Math.log(s);
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
}
