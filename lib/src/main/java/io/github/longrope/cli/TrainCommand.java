package io.github.longrope.cli;

import io.github.longrope.train.TrainConfig;
import io.github.longrope.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code longrope train --config FILE.json}: trains or fine-tunes a model; re-running the same
 * command after a kill resumes from the last checkpoint.
 */
@Command(name = "train", mixinStandardHelpOptions = true)
public final class TrainCommand implements Callable<Integer> {
  @Mixin JsonOption json;

  @Option(names = "--config", required = true, paramLabel = "FILE")
  Path config;

  @Mixin ThreadsOption threads;

  @Override
  public Integer call() {
    threads.apply();
    TrainConfig cfg = TrainConfig.read(config);
    Trainer.Result r =
        Progress.run("train", cfg.steps(), bar -> Trainer.run(cfg, listener(bar, json.err())));
    return json.report(r, r::text);
  }

  static Trainer.Listener listener(Progress bar, PrintWriter err) {
    return new Trainer.Listener() {
      @Override
      public void step(long step, long total, double loss, double lr, double tokS) {
        bar.stepTo(step);
        bar.message(String.format(Locale.ROOT, "loss %.3f lr %.2e %.0f tok/s", loss, lr, tokS));
      }

      @Override
      public void validation(long step, double loss) {
        err.printf(Locale.ROOT, "%nstep %d: validation loss %.4f%n", step, loss);
        err.flush();
      }

      @Override
      public void passkey(long step, double accuracy, double answerNll) {
        err.printf(
            Locale.ROOT,
            "step %d: passkey accuracy %.3f, answer NLL %.3f%n",
            step,
            accuracy,
            answerNll);
        err.flush();
      }
    };
  }
}
