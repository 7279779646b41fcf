package io.github.longrope.bench;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.longrope.io.Checkpoint;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.EngineThreads;
import io.github.longrope.model.MemoryPlan;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.Placement;
import io.github.longrope.model.Precision;
import io.github.longrope.model.RandomWeights;
import io.github.longrope.model.WeightSource;
import io.github.longrope.rope.RopeGeometry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The memory plan ({@link MemoryPlan}) against measured resident memory on the CPU, side by side:
 * the RSS a load adds (libtorch already started) against the plan's weights, and the peak RSS
 * during one {@link Decoder#nll} above the RSS just before it against the plan's forward bytes.
 * Growth that is not the decoder's is taken out: file pages mapped in (the checkpoint is
 * memory-mapped) and, for the load, the JVM heap's committed growth (the float arrays a load goes
 * through). Models: an HF directory, or {@link #RANDOM_1B}, a random model of TinyLlama-1.1B's
 * published shape.
 *
 * <p>Resident memory is what the allocator holds, so the measurement includes allocator slack,
 * which the plan leaves out: glibc raises its mmap threshold after the first large free (up to 32
 * MB), and freed blocks below it stay resident. {@code MALLOC_MMAP_THRESHOLD_=65536} in the
 * environment fixes the threshold, and the forward's RSS then follows the live arrays.
 */
public final class MemoryBench {
  private MemoryBench() {}

  /** The name that selects the random ~1B-parameter model instead of a directory. */
  public static final String RANDOM_1B = "random-1b";

  /**
   * @param model an HF model directory or {@link #RANDOM_1B}
   * @param placement where the decoder runs; on a GPU the measured columns are host RSS only
   *     (scripts/gpu-check reads the device's peak beside them)
   */
  public record Request(
      String model,
      int[] lengths,
      Precision precision,
      int attentionChunk,
      int threads,
      Placement placement) {
    public Request {
      if (threads < 1) {
        throw new IllegalArgumentException("--threads must be >= 1");
      }
    }
  }

  /**
   * One length: planned and measured bytes. The forward is measured as the peak RSS during the call
   * above the RSS just before it; the total is the measured weights plus that.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Row(
      int length,
      long plannedWeights,
      long measuredWeights,
      long plannedForward,
      long measuredForward,
      long plannedTotal,
      long measuredTotal,
      double ratio) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      String model, long parameters, String dtype, String device, int threads, List<Row> rows) {
    public String text() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "%s (%,d parameters), %s on %s, %d threads; measured = resident memory (RSS)%n",
              model,
              parameters,
              dtype,
              device,
              threads));
      sb.append(
          String.format(
              Locale.ROOT,
              "%7s  %11s  %11s  %11s  %11s  %11s  %11s  %9s%n",
              "length",
              "plan wts",
              "meas. wts",
              "plan fwd",
              "meas. fwd",
              "plan total",
              "meas. total",
              "meas/plan"));
      for (Row r : rows) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%7d  %11s  %11s  %11s  %11s  %11s  %11s  %9.3f%n",
                r.length(),
                MemoryPlan.bytes(r.plannedWeights()),
                MemoryPlan.bytes(r.measuredWeights()),
                MemoryPlan.bytes(r.plannedForward()),
                MemoryPlan.bytes(r.measuredForward()),
                MemoryPlan.bytes(r.plannedTotal()),
                MemoryPlan.bytes(r.measuredTotal()),
                r.ratio()));
      }
      return sb.toString();
    }
  }

  /** TinyLlama-1.1B's shape: hidden 2048, 22 layers, 32/4 heads, intermediate 5632, vocab 32000. */
  public static ModelConfig random1b() {
    return ModelConfig.builder()
        .shape(32000, 2048, 5632, 22)
        .heads(32, 4, 64)
        .maxPositionEmbeddings(2048)
        .rope(new RopeGeometry(64, 10000))
        .tieWordEmbeddings(false)
        .build();
  }

  /** Measures; must run before the JVM's first native operation (it sets the threads). */
  public static Report run(Request q, Consumer<String> log) {
    EngineThreads.set(q.threads());
    boolean random = q.model().equals(RANDOM_1B);
    ModelConfig config = random ? random1b() : HfModelConfig.read(Path.of(q.model())).config();
    for (int n : q.lengths()) {
      MemoryPlan.of(config, n, q.precision(), q.attentionChunk(), false); // validates
    }
    WeightSource source = random ? new RandomWeights(config, 0, 0.02) : null;
    Checkpoint checkpoint = random ? null : Checkpoint.open(Path.of(q.model()));
    try {
      warmUp();
      settle();
      long before = ProcessMemory.rssBytes();
      long fileBefore = ProcessMemory.rssFileBytes();
      long heapBefore = Runtime.getRuntime().totalMemory();
      List<Row> rows = new ArrayList<>();
      long parameters;
      String device;
      log.accept("loading " + q.model() + " in " + q.precision() + " ...");
      try (Decoder m =
          Decoder.load(config, random ? source : checkpoint, q.precision(), q.placement())
              .withAttentionChunk(q.attentionChunk())) {
        settle();
        long loaded = ProcessMemory.rssBytes() - before - outside(fileBefore, heapBefore);
        device = m.placement().toString();
        MemoryPlan first = MemoryPlan.of(config, 1, q.precision(), q.attentionChunk(), false);
        parameters = first.weights() / q.precision().bytes();
        for (int n : q.lengths()) {
          MemoryPlan plan = MemoryPlan.of(config, n, q.precision(), q.attentionChunk(), false);
          int[] ids = new SplittableRandom(n).ints(n, 3, config.vocabSize()).toArray();
          settle();
          long fileBefore2 = ProcessMemory.rssFileBytes();
          long start = ProcessMemory.rssBytes();
          ProcessMemory.resetPeak();
          long t0 = System.nanoTime();
          m.nll(ids, config.ropeScaling(), 0);
          double seconds = (System.nanoTime() - t0) / 1e9;
          long forward =
              ProcessMemory.peakRssBytes()
                  - start
                  - Math.max(0, ProcessMemory.rssFileBytes() - fileBefore2);
          long measured = loaded + forward;
          rows.add(
              new Row(
                  n,
                  plan.weights(),
                  loaded,
                  plan.total() - plan.weights(),
                  forward,
                  plan.total(),
                  measured,
                  (double) measured / plan.total()));
          log.accept(
              String.format(
                  Locale.ROOT,
                  "length %d: plan %s, measured %s (%.1f s)",
                  n,
                  MemoryPlan.bytes(plan.total()),
                  MemoryPlan.bytes(measured),
                  seconds));
        }
      }
      return new Report(q.model(), parameters, q.precision().key(), device, q.threads(), rows);
    } finally {
      if (checkpoint != null) {
        checkpoint.close();
      }
    }
  }

  /**
   * Growth since the baseline that is not the decoder's: file pages mapped in (the checkpoint's
   * memory-mapped tensors) and the JVM heap's committed growth (the float arrays a load goes
   * through).
   */
  private static long outside(long fileBefore, long heapBefore) {
    return Math.max(0, ProcessMemory.rssFileBytes() - fileBefore)
        + Math.max(0, Runtime.getRuntime().totalMemory() - heapBefore);
  }

  /**
   * Starts libtorch (its libraries, thread pools and allocator) with a small forward, so that the
   * baseline includes the engine and the measurement only the model.
   */
  private static void warmUp() {
    ModelConfig tiny =
        ModelConfig.builder()
            .shape(64, 32, 64, 1)
            .heads(2, 1, 16)
            .maxPositionEmbeddings(64)
            .rope(new RopeGeometry(16, 10000))
            .build();
    try (Decoder d = Decoder.load(tiny, new RandomWeights(tiny, 0, 0.02))) {
      d.nll(new SplittableRandom(0).ints(64, 0, 64).toArray(), tiny.ropeScaling(), 0);
    }
  }

  /** Lets the JVM return what it can: a full GC, so heap garbage does not count as model memory. */
  private static void settle() {
    System.gc();
    System.gc();
  }
}
