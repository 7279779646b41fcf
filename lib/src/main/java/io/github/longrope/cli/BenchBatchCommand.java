package io.github.longrope.cli;

import io.github.longrope.bench.BatchBench;
import io.github.longrope.model.Placement;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope bench batch}: see {@link BatchBench}. */
@Command(name = "batch", mixinStandardHelpOptions = true)
public final class BenchBatchCommand implements Callable<Integer> {
  @Mixin JsonOption json;
  @Mixin EngineOptions engine; // --device auto means cpu here

  @Option(names = "--model", paramLabel = "DIR")
  Path model = Path.of("models/bundled");

  @Option(names = "--lengths", split = ",", paramLabel = "N")
  int[] lengths = {512, 2048};

  @Option(names = "--candidates", split = ",", paramLabel = "B")
  int[] candidates = {2, 4};

  @Option(names = "--repeats", paramLabel = "N")
  int repeats = 3;

  @Override
  public Integer call() {
    BatchBench.Report r =
        BatchBench.run(
            new BatchBench.Request(
                model,
                lengths,
                candidates,
                repeats,
                engine.threads.orAllCores(),
                engine.precision(),
                engine.placementOr(Placement.CPU),
                engine.attentionChunk()),
            json::log);
    return json.report(r, r::text);
  }
}
