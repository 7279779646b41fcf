package io.github.longrope.cli;

import io.github.longrope.pipeline.Pipeline;
import io.github.longrope.pipeline.PipelineConfig;
import io.github.longrope.pipeline.PipelineReport;
import io.github.longrope.search.run.SearchEngine;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code longrope pipeline --config FILE [--resume]}: the whole progressive extension; all work is
 * in {@link Pipeline#run}, this class parses arguments and reports.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true)
public final class PipelineCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "FILE")
  Path config;

  @Option(names = "--resume")
  boolean resume;

  @Option(names = "--check")
  boolean check;

  @Mixin ThreadsOption threads;

  @Mixin SearchEngineOptions where;

  @Mixin JsonOption json;

  @Override
  public Integer call() {
    threads.apply();
    SearchEngine engine = where.engine(() -> PipelineConfig.engineOf(config));
    PipelineConfig c = PipelineConfig.read(config);
    if (check) {
      Pipeline.check(c);
      json.print(
          String.format(
              Locale.ROOT,
              "%s: valid; search%s at %d%s%s; run folder %s%n",
              config,
              c.fineTunes() ? " and fine-tune" : "",
              c.searchLong().targetLength(),
              c.searchRelative() == null
                  ? ""
                  : ", relative search at " + c.searchRelative().targetLength(),
              c.searchShort() == null ? "" : ", short factors at " + c.searchShort().targetLength(),
              c.run()));
      return 0;
    }
    Pipeline.Result r;
    try (PipelineBars bars = new PipelineBars(json.err(), "pipeline: ")) {
      r = Pipeline.run(c, resume, engine, bars);
    }
    PipelineReport report = PipelineReport.of(r);
    return json.report(report, report::text);
  }
}
