package io.github.longrope.cli;

import io.github.longrope.eval.ModelUnderTest;
import io.github.longrope.eval.Perplexity;
import io.github.longrope.eval.PerplexityGrid;
import io.github.longrope.eval.PerplexityJob;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.DoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope ppl}: long-context perplexity by the official protocol at several lengths. */
@Command(name = "ppl", mixinStandardHelpOptions = true)
public final class PplCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin JsonOption json;

  @Mixin DocumentOptions docs;

  @Option(names = "--lengths", required = true, split = ",", paramLabel = "N")
  int[] lengths;

  @Option(names = "--stride", paramLabel = "N")
  int stride = 256;

  @Option(names = "--samples", paramLabel = "N")
  Integer samples;

  @Option(names = "--min-tokens", paramLabel = "N")
  int minTokens;

  @Option(names = "--truncate")
  boolean truncate;

  @Option(names = "--compare", split = ",", paramLabel = "METHOD")
  List<String> compare;

  @Option(names = "--compare-factors", paramLabel = "FILE")
  Path compareFactors;

  @Option(names = "--compare-target", paramLabel = "L'")
  int compareTarget;

  @Option(names = "--unigram-baseline", paramLabel = "TRAIN")
  Path unigramTrain;

  @Override
  public Integer call() {
    boolean comparing = compare != null || compareFactors != null;
    if (comparing && model.rope.given()) {
      throw new IllegalArgumentException("--compare replaces --type: give one or the other");
    }
    if (samples != null && samples < 1) {
      throw new IllegalArgumentException(
          "--samples must be >= 1 (leave it out for all documents), got " + samples);
    }
    if (lengths.length == 0) {
      throw new IllegalArgumentException("--lengths: give at least one evaluation length");
    }
    ModelUnderTest m = model.resolve();
    List<String> warnings = new ArrayList<>(m.warnings());
    Map<String, DoubleFunction<RopeScaling>> methods =
        comparing
            ? PerplexityJob.methods(
                m.config(), compare == null ? List.of() : compare, compareFactors, warnings)
            : null;
    json.warn(warnings);
    PerplexityJob.Report r;
    try (Progress.Slot bar = new Progress.Slot()) {
      r =
          PerplexityJob.run(
              new PerplexityJob.Request(
                  m,
                  methods,
                  docs.data,
                  docs.field,
                  Arrays.stream(lengths).boxed().toList(),
                  new Perplexity(2, stride, samples == null ? 0 : samples, minTokens, truncate),
                  compareTarget,
                  unigramTrain),
              new PerplexityGrid.Listener() {
                @Override
                public void windowDone(
                    PerplexityGrid.Setting s,
                    PerplexityGrid.Dataset d,
                    int length,
                    int done,
                    int total) {
                  bar.get("ppl " + s.name() + " " + length, total).stepTo(done);
                }

                @Override
                public void cellDone(PerplexityGrid.Cell cell, int done, int total) {
                  bar.end(); // one bar per cell, sized when its first window is done
                }
              });
    }
    return json.report(r, r::text);
  }
}
