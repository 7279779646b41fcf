package io.github.longrope.cli;

import io.github.longrope.eval.PerplexityGrid;
import io.github.longrope.quickstart.Quickstart;
import io.github.longrope.quickstart.QuickstartConfig;
import io.github.longrope.search.SearchListener;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope quickstart}: the README's main job (see {@link Quickstart}). */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The main job on the bundled defaults: prepares the corpus if missing, runs a",
      "reduced-budget 8x LongRoPE search on models/bundled, compares the found factors",
      "with none / PI / NTK / YaRN / LongRoPE-YaRN-seed at 256..4096 and writes",
      "results/quickstart/ (CSV, Markdown, PNG, search record, HF export).",
      "A killed run resumes its search when started again (--fresh starts over)."
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
    Quickstart.Result r;
    try (Bars bars = new Bars(json.err(), "quickstart: ");
        Listener l = new Listener(bars)) {
      r = Quickstart.run(c, fresh, l);
    }
    json.print(Quickstart.summaryJson(c, r), () -> text(c, r));
    return 0;
  }

  static String text(QuickstartConfig c, Quickstart.Result r) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "LongRoPE quickstart on %s (bundled small model, not LLaMA-2)%n"
                + "search budget: %s%nbest fitness (search split ppl at %d): %.3f after %d"
                + " evaluations%n%n",
            c.model(),
            r.budget(),
            c.targetLength(),
            r.search().fitness(),
            r.search().evaluations()));
    sb.append(r.markdown()).append('\n');
    r.verdicts().forEach(v -> sb.append(v).append('\n'));
    sb.append(
        String.format(
            Locale.ROOT,
            "wall time: data %.0f s, search %.0f s, evaluation %.0f s, export %.0f s%n"
                + "written: %s (ppl.csv, ppl.md, ppl-vs-length.png, factors.png, search/,"
                + " export/)%n",
            r.dataSeconds(),
            r.searchSeconds(),
            r.evalSeconds(),
            r.exportSeconds(),
            r.output()));
    return sb.toString();
  }

  /** Data messages and bars, the search bar, and a bar for the comparison. */
  private static final class Listener implements Quickstart.Listener, AutoCloseable {
    private final Bars data;
    private Progress searchBar;
    private Progress compare;

    Listener(Bars data) {
      this.data = data;
    }

    @Override
    public void message(String text) {
      data.message(text);
    }

    @Override
    public void progress(String task, long done, long total) {
      data.progress(task, done, total);
    }

    @Override
    public SearchListener search() {
      searchBar = new Progress("search", 1);
      return searchBar.searchListener();
    }

    @Override
    public void cellDone(PerplexityGrid.Cell cell, int done, int total) {
      if (compare == null) {
        if (searchBar != null) {
          searchBar.close();
          searchBar = null;
        }
        compare = new Progress("compare", total);
      }
      compare.stepTo(done);
    }

    @Override
    public void close() {
      if (searchBar != null) {
        searchBar.close();
      }
      if (compare != null) {
        compare.close();
      }
    }
  }
}
