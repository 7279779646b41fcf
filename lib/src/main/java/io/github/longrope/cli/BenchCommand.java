package io.github.longrope.cli;

import picocli.CommandLine.Command;

/** {@code longrope bench}: benchmarks that print ratios measured side by side in one run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      BenchForwardCommand.class,
      BenchTrainCommand.class,
      BenchSearchCommand.class,
      BenchMemoryCommand.class,
      BenchBatchCommand.class,
      BenchRacingCommand.class
    })
public final class BenchCommand implements Runnable {
  @Override
  public void run() {
    throw new IllegalArgumentException(
        "choose a benchmark: bench forward | bench train | bench search | bench memory"
            + " | bench batch | bench racing");
  }
}
