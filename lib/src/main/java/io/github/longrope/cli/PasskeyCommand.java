package io.github.longrope.cli;

import io.github.longrope.eval.ModelUnderTest;
import io.github.longrope.eval.PasskeyGrid;
import io.github.longrope.eval.PasskeyJob;
import io.github.longrope.model.KvCache;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope passkey}: passkey retrieval over lengths × depths (official LongRoPE prompt). */
@Command(name = "passkey", mixinStandardHelpOptions = true)
public final class PasskeyCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin JsonOption json;

  @Option(names = "--lengths", required = true, split = ",", paramLabel = "N")
  int[] lengths;

  @Option(names = "--depths", paramLabel = "N")
  int depths;

  @Option(names = "--trials", paramLabel = "N")
  int trials = 10;

  @Mixin SeedOption seed = new SeedOption(PasskeyGrid.SEED);

  @Option(names = "--max-new-tokens", paramLabel = "N")
  int maxNewTokens = PasskeyGrid.MAX_NEW_TOKENS;

  @Option(names = "--policy", paramLabel = "P")
  String policy = "recompute";

  @Option(names = "--fit")
  boolean fit;

  @Option(names = "--log", paramLabel = "FILE")
  Path log;

  @Option(names = "--out", paramLabel = "DIR")
  Path out;

  @Override
  public Integer call() {
    ModelUnderTest m = model.resolve();
    PasskeyGrid grid =
        new PasskeyGrid(
            Arrays.stream(lengths).boxed().toList(),
            PasskeyGrid.evenDepths(depths),
            trials,
            seed.value(),
            maxNewTokens,
            Flags.choice("--policy", policy, KvCache.Policy.class),
            fit ? PasskeyGrid.Sizing.FIT : PasskeyGrid.Sizing.OFFICIAL);
    json.warn(m.warnings());
    PasskeyJob.Request q = new PasskeyJob.Request(m, grid, log, out);
    PasskeyJob.Report r =
        Progress.run(
            "passkey",
            grid.totalTrials(),
            bar -> PasskeyJob.run(q, (done, total, t) -> bar.stepTo(done)));
    return json.report(r, r::text);
  }
}
