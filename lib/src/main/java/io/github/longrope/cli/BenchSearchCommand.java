package io.github.longrope.cli;

import io.github.longrope.bench.SearchBench;
import io.github.longrope.bench.SearchCompare;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope bench search}: see {@link SearchBench}. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Search evaluations/s and the share of wall time in the forward pass.",
      "With --compare: the paper's evolution, evolution + racing and CMA-ES + racing on a model,"
          + " for several seeds: forward tokens to reach the evolution's final fitness, and the"
          + " held-out perplexity of the final factors."
    })
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
      description = "Fitness length (default 1024 = 4x the random model's L; --compare: 2048).")
  Integer targetLength;

  @Option(names = "--samples", paramLabel = "N", description = "Documents per fitness (default 2).")
  int samples = 2;

  @Option(
      names = "--population",
      paramLabel = "N",
      description =
          "Population (default 8; the bench runs 2 iterations of 4 + 4 children). --compare: the"
              + " evolution's P (default 64, the paper's; mutations = crossovers = P/4, parents ="
              + " P/2).")
  Integer population;

  @Option(
      names = "--iterations",
      paramLabel = "N",
      description = "Iterations (default 2; --compare: 40, the paper's).")
  Integer iterations;

  @Option(
      names = "--compare",
      description = "Compare search strategies (see above) instead of timing one search.")
  boolean compare;

  @Option(
      names = "--corpus",
      paramLabel = "DIR",
      description = "--compare: the prepared corpus (default datasets/corpus/data).")
  Path corpus = Path.of("datasets/corpus/data");

  @Option(
      names = "--seeds",
      paramLabel = "N",
      description = "--compare: seeds 1..N per strategy (default 3).")
  int seeds = 3;

  @Option(
      names = "--racing-slack",
      paramLabel = "NATS",
      description = "--compare: racing's slack (default 0.05; see docs/method.md, Racing).")
  double racingSlack = 0.05;

  @Option(
      names = "--cmaes-population",
      paramLabel = "N",
      description = "--compare: CMA-ES candidates per generation (default 14 = 4 + 3 ln 32).")
  int cmaesPopulation = 14;

  @Option(
      names = "--cmaes-sigma",
      paramLabel = "X",
      description = "--compare: CMA-ES initial step size on the increments of λ (default 0.2).")
  double cmaesSigma = 0.2;

  @Option(
      names = "--heldout-pieces",
      paramLabel = "N",
      description =
          "--compare: held-out pieces of 2·L′ tokens per split (eval-books, eval-prose; default"
              + " 4).")
  int heldoutPieces = 4;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      description = "--compare: runs and results (default results/search-compare).")
  Path output = Path.of("results/search-compare");

  @Override
  public Integer call() {
    threads.apply();
    if (compare) {
      if (model == null) {
        model = Path.of("models/bundled");
      }
      SearchCompare.Request q =
          new SearchCompare.Request(
              model,
              corpus,
              targetLength == null ? 2048 : targetLength,
              samples,
              population == null ? 64 : population,
              iterations == null ? 40 : iterations,
              seeds,
              racingSlack,
              cmaesPopulation,
              cmaesSigma,
              heldoutPieces,
              output);
      SearchCompare.Report r = SearchCompare.run(q, json::log);
      return json.report(r, r::text);
    }
    SearchBench.Request q =
        new SearchBench.Request(
            model,
            data,
            targetLength == null ? 1024 : targetLength,
            samples,
            population == null ? 8 : population,
            iterations == null ? 2 : iterations);
    SearchBench.Report r = SearchBench.run(q, json::log);
    return json.report(r, r::text);
  }
}
