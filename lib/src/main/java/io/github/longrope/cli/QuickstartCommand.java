package io.github.longrope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.eval.PerplexityGrid;
import io.github.longrope.pipeline.Pipeline;
import io.github.longrope.pipeline.RunReport;
import io.github.longrope.pipeline.Stage;
import io.github.longrope.quickstart.Quickstart;
import io.github.longrope.quickstart.QuickstartConfig;
import io.github.longrope.search.SearchListener;
import java.nio.file.Path;
import java.util.Locale;
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
    try (Bars bars = new Bars(json.err(), "quickstart: ");
        Listener l = new Listener(bars)) {
      r = Quickstart.run(c, fresh, l);
    }
    json.print(r.report().summary(), () -> text(c, r));
    return 0;
  }

  static String text(QuickstartConfig c, Pipeline.Result r) {
    RunReport report = r.report();
    JsonNode s = report.summary();
    JsonNode t = s.get("seconds");
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "LongRoPE quickstart on %s (bundled small model, not LLaMA-2)%n"
                + "search budget: %s%nbest fitness (search split ppl at %d): %.3f after %d"
                + " evaluations%n%n",
            c.model(),
            report.budget(),
            c.targetLength(),
            s.get("best_fitness").asDouble(),
            s.get("evaluations").asInt()));
    sb.append(report.markdown()).append('\n');
    report.verdicts().forEach(v -> sb.append(v).append('\n'));
    sb.append(
        String.format(
            Locale.ROOT,
            "wall time: data %.0f s, search %.0f s, evaluation %.0f s, export %.0f s%n"
                + "written: %s (ppl.csv, ppl.md, ppl-vs-length.png, factors.png, search/,"
                + " export/)%n",
            t.get("data").asDouble(),
            t.get("search").asDouble(),
            t.get("eval").asDouble(),
            t.get("export").asDouble(),
            r.run()));
    return sb.toString();
  }

  /** Data messages and bars, the search bar, and a bar for the comparison. */
  private static final class Listener implements Pipeline.Listener, AutoCloseable {
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
    public SearchListener search(Stage stage) {
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
