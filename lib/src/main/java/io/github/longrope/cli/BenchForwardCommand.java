package io.github.longrope.cli;

import io.github.longrope.bench.ForwardBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope bench forward}: see {@link ForwardBench}. */
@Command(name = "forward", mixinStandardHelpOptions = true)
public final class BenchForwardCommand implements Callable<Integer> {
  @Mixin JsonOption json;
  @Mixin EngineOptions engine;
  @Mixin NoTorchOption torch;

  @Option(names = "--lengths", split = ",", paramLabel = "N")
  int[] lengths = {1024, 4096, 16384};

  @Option(names = "--repeats", paramLabel = "N")
  int repeats = 3;

  @Override
  public Integer call() {
    ForwardBench.Request q =
        new ForwardBench.Request(
            lengths,
            engine.threads.orAllCores(),
            repeats,
            engine.attentionChunk(),
            torch.run(),
            engine.precision());
    ForwardBench.Report r = ForwardBench.run(q, json::log);
    return json.report(r, r::text);
  }
}
