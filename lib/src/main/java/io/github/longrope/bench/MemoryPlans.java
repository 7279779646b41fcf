package io.github.longrope.bench;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.model.MemoryPlan;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@link MemoryPlan} of a model directory per length and dtype, from its {@code config.json}
 * alone (no weights loaded), and with an available memory whether each row fits and the longest
 * length that does: the prediction that {@link MemoryBench} measures, behind {@code longrope plan}.
 */
public final class MemoryPlans {
  private MemoryPlans() {}

  /**
   * What to plan.
   *
   * @param dtypes compute dtypes by name ({@code f32}, {@code f16})
   * @param memory available bytes as text ({@code 80GiB}, {@code 80GB}), or null for no verdict
   */
  public record Request(
      Path model,
      int[] lengths,
      List<String> dtypes,
      int attentionChunk,
      boolean kvCache,
      String memory) {}

  /** One planned length in one dtype. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Row(
      String dtype,
      int length,
      int attentionChunkRows,
      long weights,
      long kv,
      long activations,
      long attentionScores,
      long logits,
      long total,
      Boolean fits) {}

  /** The longest length that fits the memory, per dtype. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Largest(String dtype, int length) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      Path model,
      int attentionChunk,
      boolean kvCache,
      Long memory,
      List<Row> rows,
      List<Largest> largest) {
    public String text() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "%s, attention chunk %d%s%s%n",
              model,
              attentionChunk,
              kvCache ? ", K/V cache of every layer" : ", forward (one layer's K/V at a time)",
              memory == null ? "" : ", memory " + MemoryPlan.bytes(memory)));
      sb.append(
          String.format(
              Locale.ROOT,
              "%5s  %8s  %11s  %11s  %11s  %11s  %11s  %11s%s%n",
              "dtype",
              "length",
              "weights",
              "K/V",
              "activations",
              "attn chunk",
              "logits",
              "total",
              memory == null ? "" : "  fits"));
      for (Row r : rows) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%5s  %8d  %11s  %11s  %11s  %11s  %11s  %11s%s%n",
                r.dtype(),
                r.length(),
                MemoryPlan.bytes(r.weights()),
                MemoryPlan.bytes(r.kv()),
                MemoryPlan.bytes(r.activations()),
                MemoryPlan.bytes(r.attentionScores()),
                MemoryPlan.bytes(r.logits()),
                MemoryPlan.bytes(r.total()),
                r.fits() == null ? "" : r.fits() ? "  yes" : "  no"));
      }
      for (Largest l : largest) {
        sb.append(
            String.format(
                Locale.ROOT, "longest length that fits in %s: %d%n", l.dtype(), l.length()));
      }
      return sb.toString();
    }
  }

  /** Plans every length in every dtype, in that order. */
  public static Report run(Request q) {
    ModelConfig config = HfModelConfig.read(q.model()).config();
    Long bytes = q.memory() == null ? null : MemoryPlan.parseBytes(q.memory());
    List<Row> rows = new ArrayList<>();
    List<Largest> largest = new ArrayList<>();
    for (String d : q.dtypes()) {
      Precision p = Precision.parse(d);
      for (int n : q.lengths()) {
        MemoryPlan plan = MemoryPlan.of(config, n, p, q.attentionChunk(), q.kvCache());
        rows.add(
            new Row(
                p.key(),
                n,
                plan.chunkRows(),
                plan.weights(),
                plan.kv(),
                plan.activations(),
                plan.attentionScores(),
                plan.logits(),
                plan.total(),
                bytes == null ? null : plan.fits(bytes)));
      }
      if (bytes != null) {
        int longest = MemoryPlan.largestLength(config, p, q.attentionChunk(), q.kvCache(), bytes);
        largest.add(new Largest(p.key(), longest));
      }
    }
    return new Report(q.model(), q.attentionChunk(), q.kvCache(), bytes, rows, largest);
  }
}
