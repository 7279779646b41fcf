package io.github.longrope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.Json;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.train.StepBench;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code longrope bench train}: training tokens/s of the bundled model's architecture (dim 256, 6
 * layers, 4/2 heads, vocab 32000) at each context, with and without per-layer activation
 * checkpointing, side by side with the same steps in the PyTorch reference script (same thread
 * count, same tokens per step, same clipped AdamW update), plus peak RSS of each side.
 *
 * <p>Every step holds {@code --tokens-per-step} tokens: the bundled training config's 8 × 256, and
 * 1 × 2048 at 2k, so rows compare per-token cost as the context grows. The PyTorch side runs once
 * per row in its own process, so its peak RSS is that row's alone; the Java side resets its peak
 * before each row.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Java trainer step vs PyTorch reference: tokens/s and peak RSS per context.")
public final class BenchTrainCommand implements Callable<Integer> {
  @Mixin JsonOption json;

  @Option(names = "--contexts", split = ",", paramLabel = "N", description = "Default 256,2048.")
  int[] contexts = {256, 2048};

  @Option(
      names = "--tokens-per-step",
      paramLabel = "N",
      description = "Tokens per optimizer step (default 2048 = the bundled config's 8 × 256).")
  int tokensPerStep = 2048;

  @Option(names = "--steps", paramLabel = "N", description = "Timed steps per row (default 3).")
  int steps = 3;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Threads for both (default: all cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--no-torch", description = "Skip the PyTorch side (Java numbers only).")
  boolean noTorch;

  @Spec CommandSpec spec;

  /** One measured row. */
  public record Row(
      int context,
      boolean checkpointing,
      int batch,
      double javaTokS,
      double torchTokS,
      double peakRssMb,
      double torchPeakRssMb) {
    double ratio() {
      return javaTokS / torchTokS;
    }
  }

  @Override
  public Integer call() {
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
    ModelOptions.setThreads(threads);
    if (!noTorch && !ReferenceScript.available()) {
      throw new IllegalArgumentException(
          "the bench needs Debian's python3-torch: run scripts/ensure-tools --tests"
              + " (or pass --no-torch)");
    }
    PrintWriter err = spec.commandLine().getErr();
    ModelConfig config = bundledConfig();
    boolean resets = ProcessMemory.resetPeak();
    if (!resets) {
      err.println("note: this kernel does not reset peak RSS; Java peaks are cumulative");
    }
    List<Row> rows = new ArrayList<>();
    for (int context : contexts) {
      int batch = Math.max(1, tokensPerStep / context);
      for (boolean ckpt : new boolean[] {false, true}) {
        ProcessMemory.resetPeak();
        err.printf(
            Locale.ROOT,
            "context %d, batch %d, checkpointing %s: java ...%n",
            context,
            batch,
            ckpt);
        err.flush();
        double java = StepBench.tokensPerSecond(config, context, batch, steps, ckpt, context);
        double javaRss = ProcessMemory.peakRssMb();
        double torch = Double.NaN;
        double torchRss = Double.NaN;
        if (!noTorch) {
          err.println("  torch ...");
          err.flush();
          JsonNode t = torchRow(context, batch, ckpt);
          torch = t.get("tok_s").asDouble();
          torchRss = t.get("peak_rss_mb").asDouble();
        }
        rows.add(new Row(context, ckpt, batch, java, torch, javaRss, torchRss));
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(json.enabled() ? Json.write(toJson(rows)) : toText(rows));
    out.flush();
    return 0;
  }

  /**
   * The bundled model's architecture from {@code configs/train/bundled.json} (the reference
   * script's {@code bundled} preset is the same architecture; a test checks that they agree).
   */
  static ModelConfig bundledConfig() {
    Path file = ReferenceScript.locate().getParent().resolveSibling("configs/train/bundled.json");
    return HfModelConfig.parse(
            Json.readObject(file).get("model").get("config"), null, file + " model.config")
        .config();
  }

  private JsonNode torchRow(int context, int batch, boolean checkpointing) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "bench-train",
            "--context",
            Integer.toString(context),
            "--batch",
            Integer.toString(batch),
            "--steps",
            Integer.toString(steps),
            "--threads",
            Integer.toString(threads),
            "--json"));
    if (checkpointing) {
      args.add("--checkpointing");
    }
    String text = ReferenceScript.script(null, args.toArray(String[]::new));
    return Json.parseObject(text.strip(), "reference bench-train output");
  }

  static ObjectNode toJson(List<Row> rows) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    ArrayNode a = o.putArray("rows");
    for (Row r : rows) {
      ObjectNode x = a.addObject();
      x.put("context", r.context());
      x.put("checkpointing", r.checkpointing());
      x.put("batch", r.batch());
      x.put("java_tok_s", r.javaTokS());
      if (Double.isNaN(r.torchTokS())) {
        x.putNull("torch_tok_s");
        x.putNull("ratio");
        x.putNull("torch_peak_rss_mb");
      } else {
        x.put("torch_tok_s", r.torchTokS());
        x.put("ratio", r.ratio());
        x.put("torch_peak_rss_mb", r.torchPeakRssMb());
      }
      x.put("peak_rss_mb", r.peakRssMb());
    }
    return o;
  }

  static String toText(List<Row> rows) {
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
