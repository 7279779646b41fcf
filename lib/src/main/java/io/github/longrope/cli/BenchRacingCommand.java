package io.github.longrope.cli;

import io.github.longrope.search.RacingReplay;
import io.github.longrope.search.RunRecord;
import io.github.longrope.search.run.SearchSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope bench racing}: see {@link RacingReplay}. */
@Command(name = "racing", mixinStandardHelpOptions = true)
public final class BenchRacingCommand implements Callable<Integer> {
  @Mixin JsonOption json;

  @Option(names = "--run", required = true, paramLabel = "DIR")
  Path run;

  @Option(names = "--slacks", split = ",", paramLabel = "NATS")
  List<Double> slacks = List.of(0.05, 0.02, 0.01, 0.005);

  @Override
  public Integer call() {
    for (double s : slacks) {
      if (!(s >= 0) || Double.isInfinite(s)) {
        throw new IllegalArgumentException("--slacks: each must be a number >= 0 (nats), got " + s);
      }
    }
    SearchSpec spec = SearchSpec.read(run, "--run");
    RacingReplay.Report r =
        RacingReplay.of(
            run.toString(),
            spec.search(),
            RunRecord.readHistory(run.resolve(RunRecord.HISTORY)),
            slacks);
    return json.report(r, r::text);
  }
}
