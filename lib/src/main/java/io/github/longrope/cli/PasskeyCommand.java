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
@Command(
    name = "passkey",
    mixinStandardHelpOptions = true,
    description = {
      "Passkey retrieval (official LongRoPE protocol: filler, needle 'The pass key is K.',",
      "3.65 characters per token, greedy with the KV cache, first integer of up to 10 new tokens)",
      "over context lengths × needle depths; rows {length, depth, trials, correct}."
    })
public final class PasskeyCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin JsonOption json;

  @Option(
      names = "--lengths",
      required = true,
      split = ",",
      paramLabel = "N",
      description = "Target context lengths in tokens, e.g. 256,512,1024.")
  int[] lengths;

  @Option(
      names = "--depths",
      paramLabel = "N",
      description =
          "N needle depths evenly from 0%% to 100%% (default 0: the official uniformly random depth).")
  int depths;

  @Option(names = "--trials", paramLabel = "N", description = "Prompts per cell (default 10).")
  int trials = 10;

  @Mixin SeedOption seed = new SeedOption(PasskeyGrid.SEED);

  @Option(
      names = "--max-new-tokens",
      paramLabel = "N",
      description = "Tokens generated per answer (default 10).")
  int maxNewTokens = PasskeyGrid.MAX_NEW_TOKENS;

  @Option(
      names = "--policy",
      paramLabel = "P",
      description =
          "KV cache and a length-dependent RoPE: recompute (HF semantics, default) or fixed"
              + " (the table of the longest length from the first token).")
  String policy = "recompute";

  @Option(
      names = "--fit",
      description =
          "Size each prompt by tokens: the longest filler for which BOS + prompt + answer fit the"
              + " length exactly (in-window retrieval), instead of the official 3.65 characters per"
              + " token.")
  boolean fit;

  @Option(
      names = "--log",
      paramLabel = "FILE",
      description = "Write one JSON line per trial (prompt, passkey, answer) to FILE.")
  Path log;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Write passkey.csv and, with --depths, the heat map passkey.png to DIR.")
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
