package io.github.longrope.cli;

import io.github.longrope.bench.MemoryBench;
import io.github.longrope.model.Placement;
import io.github.longrope.model.Precision;
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
  @Mixin ThreadsOption threads;

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

  @Option(names = "--dtype", paramLabel = "f32|f16", description = "Compute dtype (default f32).")
  String dtype = "f32";

  @Option(
      names = "--attention-chunk",
      paramLabel = "N",
      description = "Query rows per attention chunk (default 512).")
  int attentionChunk = 512;

  @Option(
      names = "--device",
      paramLabel = "cpu|gpu[:N]",
      description =
          "Where the decoder runs (default cpu; on a GPU the measured RSS is host memory).")
  String device = "cpu";

  @Override
  public Integer call() {
    MemoryBench.Request q =
        new MemoryBench.Request(
            model,
            Flags.lengths("--lengths", lengths),
            Flags.named("--dtype", () -> Precision.parse(dtype)),
            Flags.positive("--attention-chunk", attentionChunk),
            threads.orAllCores(),
            Flags.named("--device", () -> Placement.parse(device)));
    MemoryBench.Report r = MemoryBench.run(q, json::log);
    json.print(r, r::text);
    return 0;
  }
}
