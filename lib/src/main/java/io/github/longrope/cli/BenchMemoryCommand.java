package io.github.longrope.cli;

import io.github.longrope.bench.MemoryBench;
import io.github.longrope.model.Placement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope bench memory}: see {@link MemoryBench}. */
@Command(
    name = "memory",
    mixinStandardHelpOptions = true,
    description =
        "The memory plan vs measured peak RSS of one forward per length on the CPU, side by side.")
public final class BenchMemoryCommand implements Callable<Integer> {
  @Mixin JsonOption json;
  @Mixin EngineOptions engine; // --device auto means cpu here: the RSS measured is host memory

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description =
          "HF model directory, or random-1b (TinyLlama-1.1B's shape, random weights);"
              + " default models/bundled.")
  String model = "models/bundled";

  @Option(
      names = "--lengths",
      split = ",",
      paramLabel = "N",
      description = "Default 1024,4096,16384.")
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
