package io.github.longrope.cli;

import io.github.longrope.bench.SearchBench;
import io.github.longrope.bench.SearchCompare;
import io.github.longrope.data.Corpus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope bench search}: see {@link SearchBench}. */
@Command(name = "search", mixinStandardHelpOptions = true)
public final class BenchSearchCommand implements Callable<Integer> {
  @Mixin JsonOption json;
  @Mixin ThreadsOption threads;

  @Option(names = "--model", paramLabel = "DIR")
  Path model;

  @Option(names = "--data", paramLabel = "PATH")
  Path data;

  @Option(names = "--target-length", paramLabel = "N")
  Integer targetLength;

  @Option(names = "--samples", paramLabel = "N")
  int samples = 2;

  @Option(names = "--population", paramLabel = "N")
  Integer population;

  @Option(names = "--iterations", paramLabel = "N")
  Integer iterations;

  @Option(names = "--compare")
  boolean compare;

  @Option(names = "--corpus", paramLabel = "DIR")
  Path corpus = Path.of("datasets/corpus/data");

  @Option(names = "--seeds", paramLabel = "N")
  int seeds = 3;

  @Option(names = "--strategies", paramLabel = "NAME", split = ",")
  List<String> strategies = SearchCompare.STRATEGIES;

  @Option(names = "--racing-slack", paramLabel = "NATS")
  double racingSlack = 0.05;

  @Option(names = "--cmaes-population", paramLabel = "N")
  int cmaesPopulation = 10;

  @Option(names = "--cmaes-sigma", paramLabel = "X")
  double cmaesSigma = 0.03;

  @Option(names = "--heldout-pieces", paramLabel = "N")
  int heldoutPieces = 16;

  @Option(names = "--output", paramLabel = "DIR")
  Path output = Path.of("results/search-compare");

  @Override
  public Integer call() {
    threads.apply();
    if (compare) {
      if (model == null) {
        model = Path.of("models/bundled");
      }
      Path datasets = Path.of("datasets");
      if (corpus.equals(Corpus.dataDir(datasets))) {
        try (Bars bars = new Bars(json.err(), "bench search: ")) {
          Corpus.ensure(datasets, SearchCompare.SPLITS, bars);
        }
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
              strategies,
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
