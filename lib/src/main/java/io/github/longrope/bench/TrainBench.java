package io.github.longrope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.Json;
import io.github.longrope.model.EngineThreads;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.train.StepBench;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Training tokens/s of the bundled model's architecture (dim 256, 6 layers, 4/2 heads, vocab 32000)
 * at each context, with and without per-layer activation checkpointing, side by side with the same
 * steps in the PyTorch reference script (same thread count, same tokens per step, same clipped
 * AdamW update), plus peak RSS of each side.
 *
 * <p>Every step holds {@code tokensPerStep} tokens: the bundled training config's 8 × 256, and 1 ×
 * 2048 at 2k, so rows compare per-token cost as the context grows. The PyTorch side runs once per
 * row in its own process, so its peak RSS is that row's alone; the Java side resets its peak before
 * each row.
 */
public final class TrainBench {
  private TrainBench() {}

  /**
   * @param threads intra-op threads of both sides
   * @param torch also run the PyTorch side
   */
  public record Request(int[] contexts, int tokensPerStep, int steps, int threads, boolean torch) {
    public Request {
      if (threads < 1 || steps < 1 || tokensPerStep < 2) {
        throw new IllegalArgumentException(
            "--threads and --steps must be >= 1, --tokens-per-step >= 2");
      }
      for (int c : contexts) {
        if (c < 2 || tokensPerStep % c != 0 && c < tokensPerStep) {
          throw new IllegalArgumentException(
              "--contexts: each context must be >= 2 and divide --tokens-per-step or exceed it,"
                  + " got "
                  + c);
        }
      }
    }
  }

  /**
   * One measured row; the torch side is NaN (JSON null) when it did not run. Components are in the
   * order of the JSON keys, which scripts reading {@code bench train --json} may rely on.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Row(
      int context,
      boolean checkpointing,
      int batch,
      double javaTokS,
      @JsonSerialize(using = NanAsNull.class) double torchTokS,
      @JsonSerialize(using = NanAsNull.class) double ratio,
      @JsonSerialize(using = NanAsNull.class) double torchPeakRssMb,
      double peakRssMb) {}

  /** What was measured. */
  public record Report(List<Row> rows) {
    /** The table printed without {@code --json}. */
    public String text() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "%7s  %5s  %5s  %10s  %11s  %6s  %12s  %13s%n",
              "context",
              "ckpt",
              "batch",
              "java tok/s",
              "torch tok/s",
              "ratio",
              "java RSS MB",
              "torch RSS MB"));
      for (Row r : rows) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%7d  %5s  %5d  %10.1f  %11.1f  %6.2f  %12.0f  %13.0f%n",
                r.context(),
                r.checkpointing() ? "yes" : "no",
                r.batch(),
                r.javaTokS(),
                r.torchTokS(),
                r.ratio(),
                r.peakRssMb(),
                r.torchPeakRssMb()));
      }
      return sb.toString();
    }
  }

  /**
   * Measures; progress lines go to {@code log}. Sets libtorch's threads to the request's, so it
   * must run before the JVM's first native operation.
   */
  public static Report run(Request q, Consumer<String> log) {
    EngineThreads.set(q.threads());
    if (q.torch() && !ReferenceScript.available()) {
      throw new IllegalArgumentException(
          "the bench needs Debian's python3-torch: run scripts/ensure-tools --tests"
              + " (or pass --no-torch)");
    }
    ModelConfig config = bundledConfig();
    if (!ProcessMemory.resetPeak()) {
      log.accept("note: this kernel does not reset peak RSS; Java peaks are cumulative");
    }
    List<Row> rows = new ArrayList<>();
    for (int context : q.contexts()) {
      int batch = Math.max(1, q.tokensPerStep() / context);
      for (boolean ckpt : new boolean[] {false, true}) {
        ProcessMemory.resetPeak();
        log.accept(
            String.format(
                Locale.ROOT,
                "context %d, batch %d, checkpointing %s: java ...",
                context,
                batch,
                ckpt));
        double java = StepBench.tokensPerSecond(config, context, batch, q.steps(), ckpt, context);
        double javaRss = ProcessMemory.peakRssMb();
        double torch = Double.NaN;
        double torchRss = Double.NaN;
        if (q.torch()) {
          log.accept("  torch ...");
          JsonNode t = torchRow(q, context, batch, ckpt);
          torch = t.get("tok_s").asDouble();
          torchRss = t.get("peak_rss_mb").asDouble();
        }
        rows.add(new Row(context, ckpt, batch, java, torch, java / torch, torchRss, javaRss));
      }
    }
    return new Report(rows);
  }

  /**
   * The bundled model's architecture from {@code configs/train/bundled.json} (the reference
   * script's {@code bundled} preset is the same architecture; a test checks that they agree).
   */
  public static ModelConfig bundledConfig() {
    Path file = ReferenceScript.locate().getParent().resolveSibling("configs/train/bundled.json");
    return HfModelConfig.parse(
            Json.readObject(file).get("model").get("config"), null, file + " model.config")
        .config();
  }

  private static JsonNode torchRow(Request q, int context, int batch, boolean checkpointing) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "bench-train",
                "--context",
                Integer.toString(context),
                "--batch",
                Integer.toString(batch),
                "--steps",
                Integer.toString(q.steps()),
                "--threads",
                Integer.toString(q.threads()),
                "--json"));
    if (checkpointing) {
      args.add("--checkpointing");
    }
    String text = ReferenceScript.script(null, args.toArray(String[]::new));
    return Json.parseObject(text.strip(), "reference bench-train output");
  }
}
