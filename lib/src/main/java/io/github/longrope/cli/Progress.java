package io.github.longrope.cli;

import io.github.longrope.search.Candidate;
import io.github.longrope.search.SearchListener;
import io.github.longrope.search.SearchProgress;
import java.util.Locale;
import java.util.function.Function;
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

  /** Runs {@code work} with a bar of {@code total} steps on stderr, closed when it ends. */
  static <R> R run(String task, long total, Function<Progress, R> work) {
    try (Progress bar = new Progress(task, total)) {
      return work.apply(bar);
    }
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

  /**
   * A search listener that drives this bar: the generation, the best fitness so far and the
   * evaluation rate as its message, and its total re-estimated as the search learns how many
   * candidates it will visit (shared by {@code search}, {@code pipeline} and {@code quickstart}).
   */
  SearchListener searchListener() {
    return new SearchListener() {
      long max = 1;

      @Override
      public void generationStarted(int generation, int generations, int candidates) {
        message(String.format(Locale.ROOT, "gen %d/%d", Math.max(generation, 0), generations));
      }

      @Override
      public void candidateEvaluated(Candidate c, double fitness, SearchProgress p) {
        update(p);
      }

      @Override
      public void generationFinished(int generation, SearchProgress p) {
        update(p);
      }

      void update(SearchProgress p) {
        if (p.expected() != max) {
          max = Math.max(p.expected(), p.done());
          maxHint(max);
        }
        stepTo(p.done());
        message(
            String.format(
                Locale.ROOT,
                "gen %d/%d best %.4f %.2f ev/s",
                Math.max(p.generation(), 0),
                p.generations(),
                p.bestFitness(),
                p.evaluationsPerSecond()));
      }
    };
  }

  @Override
  public void close() {
    bar.close();
  }

  /**
   * A place for one bar at a time, made when the first step arrives (the total known only then) and
   * closed when the work moves on.
   */
  static final class Slot implements AutoCloseable {
    private Progress bar;

    /** The bar, made for {@code task} with {@code total} steps when there is none. */
    Progress get(String task, long total) {
      if (bar == null) {
        bar = new Progress(task, total);
      }
      return bar;
    }

    /** Closes the current bar and holds {@code next}. */
    Progress replace(Progress next) {
      end();
      bar = next;
      return next;
    }

    /** Closes the current bar; the next {@link #get} makes a new one. */
    void end() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }

    @Override
    public void close() {
      end();
    }
  }
}
