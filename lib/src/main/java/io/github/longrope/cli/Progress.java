package io.github.longrope.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar with ETA on stderr (stdout stays clean for --json). */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;

  Progress(String task, long total) {
    this.bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .setUpdateIntervalMillis(500)
            .build();
  }

  void stepTo(long done) {
    bar.stepTo(done);
  }

  /** Changes the expected total (the search refines its estimate as it goes). */
  void maxHint(long max) {
    bar.maxHint(max);
  }

  void message(String text) {
    bar.setExtraMessage(text);
  }

  @Override
  public void close() {
    bar.close();
  }
}
