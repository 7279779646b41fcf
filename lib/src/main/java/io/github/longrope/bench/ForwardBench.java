package io.github.longrope.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.Json;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.EngineThreads;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.Placement;
import io.github.longrope.model.Precision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Forward throughput of the Java decoder vs the PyTorch reference on the same random bundled-size
 * model (dim 256, 6 layers, 4/2 heads, vocab 32000), same thread count, measured in one run; plus
 * peak RSS and the achieved GFLOP/s as a fraction of a plain libtorch matmul measured through DJL
 * in the same run, so that the ratio says how far the decoder is from what the machine can do.
 *
 * <p>The Java side runs {@link Decoder#nll} (the perplexity workload: all layers, the LM head over
 * every position in chunks, log-softmax and gather); the reference runs its forward including the
 * LM head over every position. Each number is the best of {@code repeats} after one warm-up.
 */
public final class ForwardBench {
  private ForwardBench() {}

  /**
   * @param threads intra-op threads of both sides
   * @param torch also run the PyTorch side
   */
  public record Request(
      int[] lengths,
      int threads,
      int repeats,
      int attentionChunk,
      boolean torch,
      Precision precision) {
    public Request {
      if (threads < 1 || repeats < 1) {
        throw new IllegalArgumentException("--threads and --repeats must be >= 1");
      }
    }

    /** In f32. */
    public Request(int[] lengths, int threads, int repeats, int attentionChunk, boolean torch) {
      this(lengths, threads, repeats, attentionChunk, torch, Precision.F32);
    }
  }

  /** One measured length; the torch side is NaN (JSON null) when it did not run. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Row(
      int length,
      double javaTokS,
      @JsonSerialize(using = NanAsNull.class) double torchTokS,
      @JsonSerialize(using = NanAsNull.class) double ratio,
      double peakRssMb,
      double matmulFraction) {}

  /** What was measured. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      int threads, String dtype, String device, double matmulGflops, List<Row> rows) {
    /** The table printed without {@code --json}. */
    public String text() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "threads %d, Java decoder in %s on %s (PyTorch reference in f32), libtorch matmul"
                  + " %.1f GFLOP/s%n",
              threads,
              dtype,
              device,
              matmulGflops));
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

  /**
   * Measures; progress lines go to {@code log}. Sets libtorch's threads to the request's, so it
   * must run before the JVM's first native operation.
   */
  public static Report run(Request q, Consumer<String> log) {
    EngineThreads.set(q.threads());
    if (!ReferenceScript.available()) {
      throw new IllegalArgumentException(
          "the bench needs Debian's python3-torch (it also writes the random model):"
              + " run scripts/ensure-tools --tests");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("bench-model");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return measure(q, dir, log);
    } finally {
      AtomicFiles.deleteTree(dir);
    }
  }

  private static Report measure(Request q, Path dir, Consumer<String> log) {
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
    log.accept(
        String.format(Locale.ROOT, "libtorch matmul [4096x256]@[256x688]: %.1f GFLOP/s", matmul));
    JsonNode torch = q.torch() ? torchBench(q, dir, log) : null;
    List<Row> rows = new ArrayList<>();
    String device;
    try (Decoder m =
        HfModel.load(dir, config, q.precision(), Placement.AUTO)
            .withAttentionChunk(q.attentionChunk())) {
      device = m.placement().toString();
      for (int t = 0; t < q.lengths().length; t++) {
        int n = q.lengths()[t];
        int[] ids = new SplittableRandom(n).ints(n, 3, config.vocabSize()).toArray();
        ProcessMemory.resetPeak();
        m.nll(ids, config.ropeScaling(), 0); // warm-up
        double best = Double.MAX_VALUE;
        for (int r = 0; r < q.repeats(); r++) {
          long t0 = System.nanoTime();
          m.nll(ids, config.ropeScaling(), 0);
          best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        double tokS = n / best;
        double gflops = forwardFlops(config, n) / best / 1e9;
        double torchTokS =
            torch == null ? Double.NaN : torch.get("rows").get(t).get("tok_s").asDouble();
        rows.add(
            new Row(
                n, tokS, torchTokS, tokS / torchTokS, ProcessMemory.peakRssMb(), gflops / matmul));
        log.accept(
            String.format(Locale.ROOT, "length %d: java %.0f tok/s (%.2f s)", n, tokS, best));
      }
    }
    return new Report(q.threads(), q.precision().key(), device, matmul, rows);
  }

  private static JsonNode torchBench(Request q, Path dir, Consumer<String> log) {
    String lengthList =
        Arrays.stream(q.lengths()).mapToObj(Integer::toString).collect(Collectors.joining(","));
    log.accept("PyTorch reference: " + lengthList + " tokens, " + q.threads() + " threads ...");
    String text =
        ReferenceScript.script(
            null,
            "bench",
            "--model",
            dir.toString(),
            "--lengths",
            lengthList,
            "--threads",
            Integer.toString(q.threads()),
            "--repeats",
            Integer.toString(q.repeats()),
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
}
