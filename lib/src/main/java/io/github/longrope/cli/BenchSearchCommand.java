package io.github.longrope.cli;

import io.github.longrope.bench.SearchBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope bench search}: see {@link SearchBench}. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = "Search evaluations/s and the share of wall time in the forward pass.")
public final class BenchSearchCommand implements Callable<Integer> {
  @Mixin JsonOption json;
  @Mixin ThreadsOption threads;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "HF model directory (default: random bundled-size model).")
  Path model;

  @Option(
      names = "--data",
      paramLabel = "PATH",
      description = "Token data (default: random documents).")
  Path data;

  @Option(
      names = "--target-length",
      paramLabel = "N",
      description = "Fitness length (default 1024 = 4x the random model's L).")
  int targetLength = 1024;

  @Option(names = "--samples", paramLabel = "N", description = "Documents per fitness (default 2).")
  int samples = 2;

  @Option(
      names = "--population",
      paramLabel = "N",
      description = "Population (default 8; the bench runs 2 iterations of 4 + 4 children).")
  int population = 8;

  @Option(names = "--iterations", paramLabel = "N", description = "Iterations (default 2).")
  int iterations = 2;

  @Override
  public Integer call() {
    threads.apply();
    SearchBench.Request q =
        new SearchBench.Request(model, data, targetLength, samples, population, iterations);
    SearchBench.Report r = SearchBench.run(q, json::log);
    json.print(r, r::text);
    return 0;
  }
}
