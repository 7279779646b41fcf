package io.github.longrope.cli;

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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code longrope plan}: the memory a forward needs, from {@code config.json} alone (see {@link
 * MemoryPlan}); with {@code --memory}, whether each row fits and the longest length that does.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description =
        "Memory plan from config.json alone (no weights loaded): weights, K/V, attention chunk,"
            + " logits, activations, total; with --memory the longest length that fits.")
public final class PlanCommand implements Callable<Integer> {
  @Mixin JsonOption json;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "HF model directory (only its config.json is read).")
  Path model;

  @Option(
      names = "--length",
      required = true,
      split = ",",
      paramLabel = "N",
      description = "Sequence length(s), e.g. 8192,32768,131072.")
  int[] lengths;

  @Option(
      names = "--dtype",
      split = ",",
      paramLabel = "f32|f16",
      description = "Compute dtype(s) (default f32).")
  List<String> dtypes = List.of("f32");

  @Option(
      names = "--attention-chunk",
      paramLabel = "N",
      description = "Query rows per attention chunk (default 512).")
  int attentionChunk = 512;

  @Option(
      names = "--kv-cache",
      description = "Plan a generation that caches every layer's K/V (passkey), not a forward.")
  boolean kvCache;

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      description = "Available memory, e.g. 80GiB, 80GB, 24GiB: adds fits and the longest length.")
  String memory;

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
    String text() {
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

  @Override
  public Integer call() {
    Flags.lengths("--length", lengths);
    Flags.positive("--attention-chunk", attentionChunk);
    ModelConfig config = HfModelConfig.read(model).config();
    Long bytes =
        memory == null ? null : Flags.named("--memory", () -> MemoryPlan.parseBytes(memory));
    List<Row> rows = new ArrayList<>();
    List<Largest> largest = new ArrayList<>();
    for (String d : dtypes) {
      Precision p = Flags.named("--dtype", () -> Precision.parse(d));
      for (int n : lengths) {
        MemoryPlan plan = MemoryPlan.of(config, n, p, attentionChunk, kvCache);
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
        largest.add(
            new Largest(
                p.key(), MemoryPlan.largestLength(config, p, attentionChunk, kvCache, bytes)));
      }
    }
    Report r = new Report(model, attentionChunk, kvCache, bytes, rows, largest);
    json.print(r, r::text);
    return 0;
  }
}
