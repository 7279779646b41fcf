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
@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false)
public final class QuickstartCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE")
  Path config = Path.of("configs/quickstart.json");

  @Option(names = "--out", paramLabel = "DIR")
  Path out;

  @Option(names = "--fresh")
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
