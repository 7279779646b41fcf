package io.github.longrope.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code README.md} of a run with a {@code report}: which command wrote it on which model (and
 * the config's note on what the numbers are), the search budget, how the table was measured, the
 * table, the verdicts, the wall times and the files.
 */
final class RunReadme {
  private RunReadme() {}

  /** The official search budget, against which a smaller one is called reduced. */
  private static final int OFFICIAL_POPULATION = 64;

  private static final int OFFICIAL_ITERATIONS = 40;

  static String text(PipelineConfig c, Pipeline.Result r, RunReport report) {
    ReportSpec spec = c.report();
    EvaluateSpec e = c.evaluate();
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(spec.title()).append("\n\n");
    sb.append("Written by `").append(spec.command()).append("` on ").append(c.model());
    sb.append(spec.note() == null ? "" : " (" + spec.note() + ")").append(".\n\n");
    var search = c.searchLong().searchConfig();
    boolean reduced =
        search.population() < OFFICIAL_POPULATION || search.iterations() < OFFICIAL_ITERATIONS;
    sb.append("Search budget (")
        .append(reduced ? "reduced; " : "")
        .append("the official one is population 64, 40 iterations): ")
        .append(report.budget())
        .append(".\n\n");
    String unit = e.splits() ? "pieces" : "documents";
    String piece = e.splits() ? "piece" : "document";
    String data = e.data() != null ? e.data() : c.data().eval();
    String split = Path.of(data).getFileName().toString().replaceFirst("\\.bin$", "");
    sb.append(
        String.format(
            Locale.ROOT,
            "Perplexity on %d %s of the `%s` split (%s); %s:%n%n",
            e.samples(),
            unit,
            split,
            e.truncate()
                ? "one window per " + piece + " and length"
                : "sliding windows, stride " + e.stride(),
            e.targetLength() > 0
                ? "every method configured for L′ = " + e.targetLength()
                : "each method configured for its row's length"));
    sb.append(report.markdown()).append('\n');
    report.verdicts().forEach(v -> sb.append("- ").append(v).append('\n'));
    JsonNode t = report.summary().get("seconds");
    sb.append(
        String.format(
            Locale.ROOT,
            "%nWall time: data %.0f s, search %.0f s, %sevaluation %.0f s, export %.0f s.%n%n",
            t.get("data").asDouble(),
            t.get("search").asDouble(),
            t.has("finetune")
                ? String.format(Locale.ROOT, "fine-tune %.0f s, ", t.get("finetune").asDouble())
                : "",
            t.get("eval").asDouble(),
            t.get("export").asDouble()));
    Path run = r.run();
    sb.append("Files: `ppl.csv`, `ppl.md`, `ppl-vs-length.png`, `factors.csv`, `factors.png`, `")
        .append(folder(run, c.stageDir(run, Stage.SEARCH_LONG)))
        .append("/` (history.jsonl, iterations/, final/), `")
        .append(folder(run, r.exported()))
        .append("/` (HF directory with rope_scaling longrope), `summary.json`.\n");
    return sb.toString();
  }

  private static String folder(Path run, Path p) {
    return run.toAbsolutePath().normalize().relativize(p.toAbsolutePath().normalize()).toString();
  }
}
