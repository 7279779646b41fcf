package io.github.longrope.cli;

import io.github.longrope.bench.TrainBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope bench train}: see {@link TrainBench}. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Java trainer step vs PyTorch reference (both with --threads): tokens/s and peak RSS per"
            + " context.")
public final class BenchTrainCommand implements Callable<Integer> {
  @Mixin JsonOption json;
  @Mixin ThreadsOption threads;
  @Mixin NoTorchOption torch;

  @Option(names = "--contexts", split = ",", paramLabel = "N", description = "Default 256,2048.")
  int[] contexts = {256, 2048};

  @Option(
      names = "--tokens-per-step",
      paramLabel = "N",
      description = "Tokens per optimizer step (default 2048 = the bundled config's 8 × 256).")
  int tokensPerStep = 2048;

  @Option(names = "--steps", paramLabel = "N", description = "Timed steps per row (default 3).")
  int steps = 3;

  @Override
  public Integer call() {
    TrainBench.Request q =
        new TrainBench.Request(contexts, tokensPerStep, steps, threads.orAllCores(), torch.run());
    TrainBench.Report r = TrainBench.run(q, json::log);
    return json.report(r, r::text);
  }
}
