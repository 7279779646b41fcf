package io.github.longrope.cli;

import io.github.longrope.eval.PerplexityGrid;
import io.github.longrope.pipeline.Pipeline;
import io.github.longrope.pipeline.PipelineConfig;
import io.github.longrope.pipeline.PipelineReport;
import io.github.longrope.pipeline.Stage;
import io.github.longrope.pipeline.StageRecord;
import io.github.longrope.search.SearchListener;
import io.github.longrope.search.run.SearchEngine;
import io.github.longrope.train.Trainer;
import java.io.PrintWriter;
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
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "LongRoPE progressive extension from one JSON config: search at ~8x, fine-tune, relative",
      "search to the final length, short-factor search, HF export, perplexity table. Stages",
      "write results/<run>/stageN-name/ and a done.json marker; --resume skips finished stages."
    })
public final class PipelineCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "Pipeline config (JSON, e.g. configs/pipeline/bundled-16k.json).")
  Path config;

  @Option(names = "--resume", description = "Continue the run in the config's run folder.")
  boolean resume;

  @Option(
      names = "--check",
      description = "Only validate the config against the model and data files, then exit.")
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
    Pipeline.Result r = Pipeline.run(c, resume, engine, listener(json.err()));
    PipelineReport report = PipelineReport.of(r);
    json.print(report, report::text);
    return 0;
  }

  static Pipeline.Listener listener(PrintWriter err) {
    return new Pipeline.Listener() {
      Progress bar;

      @Override
      public void stageSkipped(Stage stage, StageRecord record) {
        err.printf("%s: done (%s), skipped%n", stage.dirName(), record.completed());
        err.flush();
      }

      @Override
      public void stageDiscarded(Stage stage, String difference) {
        err.printf(
            "%s: discarding partial work made from other inputs (%s)%n",
            stage.dirName(), difference);
        err.flush();
      }

      @Override
      public void stageStarted(Stage stage, boolean resuming) {
        err.printf("%s: %s%n", stage.dirName(), resuming ? "resuming" : "starting");
        err.flush();
      }

      @Override
      public void stageFinished(Stage stage, StageRecord record) {
        if (bar != null) {
          bar.close();
          bar = null;
        }
        err.printf(Locale.ROOT, "%n%s: done in %.1f s%n", stage.dirName(), record.seconds());
        err.flush();
      }

      @Override
      public SearchListener search(Stage stage) {
        bar = new Progress(stage.label(), 1);
        return bar.searchListener();
      }

      @Override
      public Trainer.Listener training() {
        return new Trainer.Listener() {
          @Override
          public void step(long step, long total, double loss, double lr, double tokS) {
            if (bar == null) {
              bar = new Progress("finetune", total);
            }
            bar.stepTo(step);
            bar.message(String.format(Locale.ROOT, "loss %.3f %.0f tok/s", loss, tokS));
          }
        };
      }

      @Override
      public void cellDone(PerplexityGrid.Cell cell, int done, int total) {
        if (bar == null) {
          bar = new Progress("evaluate", total);
        }
        bar.stepTo(done);
        bar.message(
            String.format(
                Locale.ROOT, "%s @ %d: ppl %.3f", cell.method(), cell.length(), cell.ppl()));
      }
    };
  }
}
