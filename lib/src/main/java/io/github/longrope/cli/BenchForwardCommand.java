package io.github.longrope.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.Json;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code longrope bench forward}: forward throughput of the Java decoder vs the PyTorch reference
 * on the same random bundled-size model (dim 256, 6 layers, 4/2 heads, vocab 32000), same thread
 * count, measured in one run; plus peak RSS and the achieved GFLOP/s as a fraction of a plain
 * libtorch matmul measured through DJL in the same run.
 *
 * <p>The Java side runs {@link Decoder#nll} (the perplexity workload: all layers, the LM head over
 * every position in chunks, log-softmax and gather); the reference runs its forward including the
 * LM head over every position. Each number is the best of {@code --repeats} after one warm-up.
 */
@Command(
    name = "forward",
    mixinStandardHelpOptions = true,
    description = "Java decoder vs PyTorch reference: tokens/s, peak RSS, matmul fraction.")
public final class BenchForwardCommand implements Callable<Integer> {
  @Mixin JsonOption json;

  @Option(
      names = "--lengths",
      split = ",",
      paramLabel = "N",
      description = "Default 1024,4096,16384.")
  int[] lengths = {1024, 4096, 16384};

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Threads for both (default: all cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--repeats", paramLabel = "N", description = "Timed runs per length (default 3).")
  int repeats = 3;

  @Option(
      names = "--attention-chunk",
      paramLabel = "N",
      description = "Java attention chunk (512).")
  int attentionChunk = 512;

  @Option(names = "--no-torch", description = "Skip the PyTorch side (Java numbers only).")
  boolean noTorch;

  @Spec CommandSpec spec;

  /** One measured length. */
  public record Row(
      int length, double javaTokS, double torchTokS, double peakRssMb, double matmulFraction) {
    double ratio() {
      return Double.isNaN(torchTokS) ? Double.NaN : javaTokS / torchTokS;
    }
  }

  @Override
  public Integer call() throws IOException {
    if (threads < 1 || repeats < 1) {
      throw new IllegalArgumentException("--threads and --repeats must be >= 1");
    }
    ModelOptions.setThreads(threads);
    if (!ReferenceScript.available()) {
      throw new IllegalArgumentException(
          "the bench needs Debian's python3-torch (it also writes the random model):"
              + " run scripts/ensure-tools --tests");
    }
    PrintWriter err = spec.commandLine().getErr();
    Path dir = Files.createTempDirectory("bench-model");
    ReferenceScript.script(
        null,
        "make",
        "--family",
        "llama",
        "--preset",
        "bundled",
        "--out",
        dir.toString(),
        "--seed",
        "0");
    ModelConfig config = HfModelConfig.read(dir).config();
    double matmul = matmulGflops();
    err.printf(Locale.ROOT, "libtorch matmul [4096x256]@[256x688]: %.1f GFLOP/s%n", matmul);
    List<Row> rows = new ArrayList<>();
    JsonNode torch = noTorch ? null : torchBench(dir, err);
    try (Decoder m = HfModel.load(dir, config).withAttentionChunk(attentionChunk)) {
      for (int t = 0; t < lengths.length; t++) {
        int n = lengths[t];
        int[] ids = new SplittableRandom(n).ints(n, 3, config.vocabSize()).toArray();
        ProcessMemory.resetPeak();
        m.nll(ids, config.ropeScaling(), 0); // warm-up
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
          long t0 = System.nanoTime();
          m.nll(ids, config.ropeScaling(), 0);
          best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        double tokS = n / best;
        double gflops = forwardFlops(config, n) / best / 1e9;
        double torchTokS =
            torch == null ? Double.NaN : torch.get("rows").get(t).get("tok_s").asDouble();
        rows.add(new Row(n, tokS, torchTokS, ProcessMemory.peakRssMb(), gflops / matmul));
        err.printf(Locale.ROOT, "length %d: java %.0f tok/s (%.2f s)%n", n, tokS, best);
        err.flush();
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(
        json.enabled() ? Json.write(toJson(rows, threads, matmul)) : toText(rows, threads, matmul));
    out.flush();
    return 0;
  }

  private JsonNode torchBench(Path dir, PrintWriter err) {
    String lengthList =
        java.util.Arrays.stream(lengths)
            .mapToObj(Integer::toString)
            .collect(Collectors.joining(","));
    err.println("PyTorch reference: " + lengthList + " tokens, " + threads + " threads ...");
    err.flush();
    String text =
        ReferenceScript.script(
            null,
            "bench",
            "--model",
            dir.toString(),
            "--lengths",
            lengthList,
            "--threads",
            Integer.toString(threads),
            "--repeats",
            Integer.toString(repeats),
            "--json");
    return Json.parseObject(text, "reference bench output");
  }

  /**
   * Sustained GFLOP/s of a plain [4096×256]@[256×688] matmul in DJL's libtorch: the best of three
   * rounds of back-to-back matmuls lasting ≥ 0.5 s each. Sustained, like the forward it is compared
   * with: a single 8 ms matmul catches turbo bursts and reads ~25% higher here.
   */
  static double matmulGflops() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.randomNormal(new Shape(4096, 256));
      NDArray b = m.randomNormal(new Shape(256, 688));
      a.matMul(b).close();
      double best = 0;
      for (int round = 0; round < 3; round++) {
        long t0 = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - t0 < 500_000_000L) {
          a.matMul(b).close();
          n++;
        }
        best = Math.max(best, n * 2.0 * 4096 * 256 * 688 / ((System.nanoTime() - t0) / 1e9) / 1e9);
      }
      return best;
    }
  }

  /**
   * Multiply-add FLOPs of one causal forward over n tokens: projections and MLP, causal attention
   * (QKᵀ and PV over n²/2 pairs), the LM head. Norms, RoPE and softmax are not counted.
   */
  static double forwardFlops(ModelConfig c, int n) {
    double h = c.hiddenSize();
    double q = (double) c.numHeads() * c.headDim();
    double kv = (double) c.numKvHeads() * c.headDim();
    double perToken = 2 * (h * q + 2 * h * kv + q * h + 3 * h * c.intermediateSize());
    double attention = 2 * 2 * q * ((double) n * n / 2);
    return c.numLayers() * (perToken * n + attention) + 2 * h * c.vocabSize() * n;
  }

  static ObjectNode toJson(List<Row> rows, int threads, double matmul) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("threads", threads);
    o.put("matmul_gflops", matmul);
    ArrayNode a = o.putArray("rows");
    for (Row r : rows) {
      ObjectNode x = a.addObject();
      x.put("length", r.length());
      x.put("java_tok_s", r.javaTokS());
      if (Double.isNaN(r.torchTokS())) {
        x.putNull("torch_tok_s");
        x.putNull("ratio");
      } else {
        x.put("torch_tok_s", r.torchTokS());
        x.put("ratio", r.ratio());
      }
      x.put("peak_rss_mb", r.peakRssMb());
      x.put("matmul_fraction", r.matmulFraction());
    }
    return o;
  }

  static String toText(List<Row> rows, int threads, double matmul) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(Locale.ROOT, "threads %d, libtorch matmul %.1f GFLOP/s%n", threads, matmul));
    sb.append(
        String.format(
            Locale.ROOT,
            "%7s  %11s  %11s  %6s  %12s  %15s%n",
            "length",
            "java tok/s",
            "torch tok/s",
            "ratio",
            "peak RSS MB",
            "matmul fraction"));
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%7d  %11.1f  %11.1f  %6.2f  %12.0f  %15.2f%n",
              r.length(),
              r.javaTokS(),
              r.torchTokS(),
              r.ratio(),
              r.peakRssMb(),
              r.matmulFraction()));
    }
    return sb.toString();
  }
}
