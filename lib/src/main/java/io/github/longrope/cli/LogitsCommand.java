package io.github.longrope.cli;

import io.github.longrope.eval.LogitsJob;
import io.github.longrope.eval.ModelUnderTest;
import io.github.longrope.model.KvCache;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code longrope logits}: one sequence through the model, token by token (last-position top-k,
 * per-token NLL, greedy continuation, all logits as {@code .npy} on request), to compare with
 * another engine on the same {@code config.json}.
 */
@Command(name = "logits", mixinStandardHelpOptions = true)
public final class LogitsCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin JsonOption json;

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "%nInput (one of):%n")
  Input input;

  static final class Input {
    @Option(names = "--ids", paramLabel = "I,J,…")
    String ids;

    @Option(names = "--text", paramLabel = "TEXT")
    String text;
  }

  @Option(names = "--top-k", paramLabel = "K")
  int topK = 10;

  @Option(names = "--max-new-tokens", paramLabel = "N")
  int maxNewTokens = 16;

  @Option(names = "--policy", paramLabel = "P")
  String policy = "recompute";

  @Option(names = "--out", paramLabel = "FILE.npy")
  Path out;

  @Override
  public Integer call() {
    KvCache.Policy p = Flags.choice("--policy", policy, KvCache.Policy.class);
    ModelUnderTest m = model.resolve();
    json.warn(m.warnings());
    int[] ids = input.ids != null ? parseIds(input.ids) : LogitsJob.encode(m, input.text);
    LogitsJob.Report r = LogitsJob.run(new LogitsJob.Request(m, ids, topK, maxNewTokens, p, out));
    return json.report(r, r::text);
  }

  static int[] parseIds(String s) {
    try {
      return Arrays.stream(s.split(","))
          .map(String::strip)
          .filter(t -> !t.isEmpty())
          .mapToInt(Integer::parseInt)
          .toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--ids: not a comma-separated list of integers: '" + s + "'", e);
    }
  }
}
