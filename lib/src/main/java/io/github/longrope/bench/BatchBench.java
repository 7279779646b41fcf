package io.github.longrope.bench;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.model.CandidateBatch;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.EngineThreads;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.Placement;
import io.github.longrope.model.Precision;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.rope.YarnScaling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Candidate batching measured side by side: B RoPE settings over the same tokens as B separate
 * {@link Decoder#nll} forwards and as one {@link CandidateBatch} forward, on the same model, in one
 * run, alternating which goes first in every repeat so that drift (other load, caches) hits both.
 * Reports the median seconds of each, their ratio (batched ÷ one by one: below 1 means batching
 * pays) and the largest relative NLL difference between the two.
 */
public final class BatchBench {
  private BatchBench() {}

  /** What to measure: every length × every batch size. */
  public record Request(
      Path model,
      int[] lengths,
      int[] batches,
      int repeats,
      int threads,
      Precision precision,
      Placement placement,
      int attentionChunk) {
    public Request {
      if (repeats < 1 || threads < 1) {
        throw new IllegalArgumentException("--repeats and --threads must be >= 1");
      }
      for (int b : batches) {
        if (b < 2) {
          throw new IllegalArgumentException("--candidates: batch sizes must be >= 2, got " + b);
        }
      }
    }
  }

  /** One length and batch size. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Row(
      int length,
      int candidates,
      double oneByOneSeconds,
      double batchedSeconds,
      double ratio,
      double maxRelativeNllDifference) {}

  /** The measurements. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      String model, int threads, String dtype, String device, int repeats, List<Row> rows) {
    /** The table printed without {@code --json}. */
    public String text() {
      StringBuilder sb =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%s, %s on %s, %d threads; median of %d repeats%n%7s  %10s  %12s  %9s  %6s  %9s%n",
                  model,
                  dtype,
                  device,
                  threads,
                  repeats,
                  "length",
                  "candidates",
                  "one by one s",
                  "batched s",
                  "ratio",
                  "max dNLL"));
      for (Row r : rows) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%7d  %10d  %12.3f  %9.3f  %6.3f  %9.1e%n",
                r.length(),
                r.candidates(),
                r.oneByOneSeconds(),
                r.batchedSeconds(),
                r.ratio(),
                r.maxRelativeNllDifference()));
      }
      return sb.toString();
    }
  }

  /** Measures; progress lines go to {@code log}. */
  public static Report run(Request q, Consumer<String> log) {
    EngineThreads.set(q.threads());
    ModelConfig config = HfModelConfig.read(q.model()).config();
    List<Row> rows = new ArrayList<>();
    try (Decoder d =
        HfModel.load(q.model(), config, q.precision(), q.placement())
            .withAttentionChunk(q.attentionChunk())) {
      for (int length : q.lengths()) {
        int[] ids = new SplittableRandom(length).ints(length, 0, config.vocabSize()).toArray();
        for (int b : q.batches()) {
          List<RopeScaling> ropes = new ArrayList<>();
          for (int k = 0; k < b; k++) {
            ropes.add(YarnScaling.of(2 + k, config.originalLength())); // B different tables
          }
          log.accept("bench batch: " + length + " tokens × " + b + " candidates");
          rows.add(measure(d, ids, ropes, q.repeats()));
        }
      }
      return new Report(
          q.model().toString(),
          q.threads(),
          q.precision().toString(),
          d.placement().toString(),
          q.repeats(),
          rows);
    }
  }

  private static Row measure(Decoder d, int[] ids, List<RopeScaling> ropes, int repeats) {
    double[][] alone = oneByOne(d, ids, ropes); // warm-up of both paths
    double[][] batched = CandidateBatch.nll(d, ids, ropes, 0);
    double worst = 0;
    for (int k = 0; k < alone.length; k++) {
      for (int t = 0; t < alone[k].length; t++) {
        worst = Math.max(worst, Math.abs(batched[k][t] - alone[k][t]) / Math.abs(alone[k][t]));
      }
    }
    double[] single = new double[repeats];
    double[] batch = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      boolean batchFirst = r % 2 == 1;
      if (batchFirst) {
        batch[r] = seconds(() -> CandidateBatch.nll(d, ids, ropes, 0));
      }
      single[r] = seconds(() -> oneByOne(d, ids, ropes));
      if (!batchFirst) {
        batch[r] = seconds(() -> CandidateBatch.nll(d, ids, ropes, 0));
      }
    }
    double s = median(single);
    double b = median(batch);
    return new Row(ids.length, ropes.size(), s, b, b / s, worst);
  }

  private static double[][] oneByOne(Decoder d, int[] ids, List<RopeScaling> ropes) {
    double[][] out = new double[ropes.size()][];
    for (int k = 0; k < out.length; k++) {
      out[k] = d.nll(ids, ropes.get(k), 0);
    }
    return out;
  }

  private static double seconds(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
