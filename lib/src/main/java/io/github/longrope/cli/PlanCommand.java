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
@Command(name = "plan", mixinStandardHelpOptions = true)
public final class PlanCommand implements Callable<Integer> {
  @Mixin JsonOption json;

  @Option(names = "--model", required = true, paramLabel = "DIR")
  Path model;

  @Option(names = "--length", required = true, split = ",", paramLabel = "N")
  int[] lengths;

  @Option(names = "--dtype", split = ",", paramLabel = "f32|f16")
  List<String> dtypes = List.of("f32");

  @Option(names = "--attention-chunk", paramLabel = "N")
  int attentionChunk = 512;

  @Option(names = "--kv-cache")
  boolean kvCache;

  @Option(names = "--memory", paramLabel = "SIZE")
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
