package io.github.longrope.cli;

import io.github.longrope.eval.BoundaryJob;
import io.github.longrope.eval.BoundaryTest;
import io.github.longrope.eval.ModelUnderTest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope boundary}: passkey answers generated across the short/long switch. */
@Command(name = "boundary", mixinStandardHelpOptions = true)
public final class BoundaryCommand implements Callable<Integer> {
  /** Exit status when a cached generation is not exact. */
  public static final int NOT_EXACT = 1;

  @Mixin ModelOptions model;
  @Mixin JsonOption json;

  @Option(names = "--trials", paramLabel = "N")
  int trials = 10;

  @Mixin SeedOption seed = new SeedOption(42);

  @Option(names = "--margin", paramLabel = "K")
  int margin = 3;

  @Option(names = "--max-new-tokens", paramLabel = "N")
  int maxNewTokens = 10;

  @Option(names = "--out", paramLabel = "DIR")
  Path out;

  @Override
  public Integer call() {
    ModelUnderTest m = model.resolve();
    BoundaryTest test = new BoundaryTest(trials, seed.value(), margin, maxNewTokens);
    m = BoundaryJob.withPair(m);
    json.warn(m.warnings());
    BoundaryJob.Request q = new BoundaryJob.Request(m, test, out);
    BoundaryJob.Report r =
        Progress.run(
            "boundary",
            2L * trials,
            bar -> BoundaryJob.run(q, (done, total, row) -> bar.stepTo(done)));
    json.print(r, r::text);
    return r.allExact() ? 0 : NOT_EXACT;
  }
}
