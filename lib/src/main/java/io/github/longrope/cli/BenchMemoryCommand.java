package io.github.longrope.cli;

import io.github.longrope.bench.MemoryBench;
import io.github.longrope.model.Placement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope bench memory}: see {@link MemoryBench}. */
@Command(name = "memory", mixinStandardHelpOptions = true)
public final class BenchMemoryCommand implements Callable<Integer> {
  @Mixin JsonOption json;
  @Mixin EngineOptions engine; // --device auto means cpu here: the RSS measured is host memory

  @Option(names = "--model", paramLabel = "DIR")
  String model = "models/bundled";

  @Option(names = "--lengths", split = ",", paramLabel = "N")
  int[] lengths = {1024, 4096, 16384};

  @Override
  public Integer call() {
    MemoryBench.Request q =
        new MemoryBench.Request(
            model,
            Flags.lengths("--lengths", lengths),
            engine.precision(),
            engine.attentionChunk(),
            engine.threads.orAllCores(),
            engine.placementOr(Placement.CPU));
    MemoryBench.Report r = MemoryBench.run(q, json::log);
    return json.report(r, r::text);
  }
}
