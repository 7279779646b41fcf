package io.github.longrope.cli;

import io.github.longrope.bench.TrainBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope bench train}: see {@link TrainBench}. */
@Command(name = "train", mixinStandardHelpOptions = true)
public final class BenchTrainCommand implements Callable<Integer> {
  @Mixin JsonOption json;
  @Mixin ThreadsOption threads;
  @Mixin NoTorchOption torch;

  @Option(names = "--contexts", split = ",", paramLabel = "N")
  int[] contexts = {256, 2048};

  @Option(names = "--tokens-per-step", paramLabel = "N")
  int tokensPerStep = 2048;

  @Option(names = "--steps", paramLabel = "N")
  int steps = 3;

  @Override
  public Integer call() {
    TrainBench.Request q =
        new TrainBench.Request(contexts, tokensPerStep, steps, threads.orAllCores(), torch.run());
    TrainBench.Report r = TrainBench.run(q, json::log);
    return json.report(r, r::text);
  }
}
