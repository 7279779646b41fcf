package io.github.longrope.cli;

import io.github.longrope.bench.MemoryPlans;
import io.github.longrope.model.MemoryPlan;
import io.github.longrope.model.Precision;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code longrope plan}: the memory a forward needs, from {@code config.json} alone; with {@code
 * --memory}, whether each row fits and the longest length that does (see {@link MemoryPlans}).
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

  @Override
  public Integer call() {
    // flag names for the errors; MemoryPlans parses the same values again
    Flags.lengths("--length", lengths);
    Flags.positive("--attention-chunk", attentionChunk);
    if (memory != null) {
      Flags.named("--memory", () -> MemoryPlan.parseBytes(memory));
    }
    for (String d : dtypes) {
      Flags.named("--dtype", () -> Precision.parse(d));
    }
    MemoryPlans.Report r =
        MemoryPlans.run(
            new MemoryPlans.Request(model, lengths, dtypes, attentionChunk, kvCache, memory));
    return json.report(r, r::text);
  }
}
