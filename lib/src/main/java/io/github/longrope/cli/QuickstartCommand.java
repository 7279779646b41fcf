package io.github.longrope.cli;

import io.github.longrope.pipeline.Pipeline;
import io.github.longrope.quickstart.Quickstart;
import io.github.longrope.quickstart.QuickstartConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code longrope quickstart}: the README's main job, the pipeline with the quickstart's preset
 * (see {@link Quickstart}).
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The main job on the bundled defaults: prepares the corpus if missing, runs a",
      "reduced-budget 8x LongRoPE search on models/bundled, compares the found factors",
      "with none / PI / NTK / YaRN / LongRoPE-YaRN-seed at 256..4096 and writes",
      "results/quickstart/ (CSV, Markdown, PNG, search record, HF export).",
      "It is the pipeline with a preset: a killed run resumes when started again",
      "(--fresh starts over)."
    })
public final class QuickstartCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Quickstart config (default configs/quickstart.json).")
  Path config = Path.of("configs/quickstart.json");

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output folder (default: the config's, results/quickstart).")
  Path out;

  @Option(names = "--fresh", description = "Delete a previous output folder first.")
  boolean fresh;

  @Mixin ThreadsOption threads;

  @Mixin JsonOption json;

  @Override
  public Integer call() {
    threads.apply();
    QuickstartConfig read = QuickstartConfig.read(config);
    QuickstartConfig c = out != null ? read.withOutput(out) : read;
    Pipeline.Result r;
    try (PipelineBars bars = new PipelineBars(json.err(), "quickstart: ")) {
      r = Quickstart.run(c, fresh, bars);
    }
    return json.report(r.report().summary(), () -> Quickstart.text(c, r));
  }
}
