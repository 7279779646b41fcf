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
@Command(
    name = "ppl",
    mixinStandardHelpOptions = true,
    description = {
      "Perplexity at several evaluation lengths (official LongRoPE protocol: BOS per window,",
      "sliding window with stride and a 10-window cap, or --truncate: one window per document)."
    })
public final class PplCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin JsonOption json;

  @Mixin DocumentOptions docs;

  @Option(
      names = "--lengths",
      required = true,
      split = ",",
      paramLabel = "N",
      description = "Evaluation lengths in tokens (including BOS), e.g. 256,512,1024.")
  int[] lengths;

  @Option(
      names = "--stride",
      paramLabel = "N",
      description = "Sliding-window stride (default 256).")
  int stride = 256;

  @Option(names = "--samples", paramLabel = "N", description = "Documents to use (default all).")
  Integer samples;

  @Option(
      names = "--min-tokens",
      paramLabel = "N",
      description = "Skip documents shorter than this (official dataset_min_tokens; default 0).")
  int minTokens;

  @Option(
      names = "--truncate",
      description = "One window of the first length−1 tokens per document.")
  boolean truncate;

  @Option(
      names = "--compare",
      split = ",",
      paramLabel = "METHOD",
      description =
          "Compare methods instead of one --type: none, pi, ntk, yarn, longrope-yarn-seed,"
              + " longrope-yarn-exact; each set for --compare-target or for each row's length.")
  List<String> compare;

  @Option(
      names = "--compare-factors",
      paramLabel = "FILE",
      description = "Add searched factors λ (CSV) to the comparison as method 'factors'.")
  Path compareFactors;

  @Option(
      names = "--compare-target",
      paramLabel = "L'",
      description = "Configure every compared method for this length (default: each row's own).")
  int compareTarget;

  @Option(
      names = "--unigram-baseline",
      paramLabel = "TRAIN",
      description =
          "Also report the perplexity of add-one-smoothed token counts from this training split"
              + " (PREFIX.bin/.idx or any --data form): the context-free floor to beat.")
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
