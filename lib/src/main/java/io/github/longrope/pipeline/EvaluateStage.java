package io.github.longrope.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.data.Documents;
import io.github.longrope.eval.Perplexity;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.report.Charts;
import io.github.longrope.report.Markdown;
import io.github.longrope.report.Pivot;
import io.github.longrope.report.ReportFiles;
import io.github.longrope.rope.RopeNames;
import io.github.longrope.rope.RopeScaling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.IntFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The final table: perplexity of every method at every length on the evaluation split. Cells are
 * appended to {@code cells.jsonl} as they finish (a 16k cell takes a minute on two cores), so an
 * interrupted table resumes at the first missing cell; the finished table is {@code table.csv},
 * {@code table.md} (methods × lengths) and {@code perplexity.png}.
 *
 * <p>Baselines run on the BASE model because that is the comparison the method makes: what the
 * pipeline's fine-tuning and searches buy over rescaling the original model. {@code extended} is
 * evaluated from the exported directory, reloaded from disk, so the table measures the deliverable.
 */
final class EvaluateStage {
  private EvaluateStage() {}

  static final String CELLS = "cells.jsonl";

  /** What a method runs: which model folder, and its RoPE at each length. */
  private record Method(String name, String model, Path dir, IntFunction<RopeScaling> rope) {}

  static ObjectNode run(
      PipelineConfig config,
      StageRecord searchLong,
      StageRecord finetune,
      StageRecord export,
      Path run,
      Path dir,
      Pipeline.Listener listener) {
    EvaluateSpec spec = config.evaluate();
    Path base = Path.of(config.model());
    ModelConfig baseConfig = HfModelConfig.read(base).config();
    int original = baseConfig.originalLength();
    List<Method> methods = new ArrayList<>();
    for (String m : spec.methods()) {
      methods.add(method(m, spec, baseConfig, base, searchLong, finetune, export, run));
    }
    Path data = Path.of(spec.data() != null ? spec.data() : config.data().eval());
    Documents docs =
        DocumentSources.open(data, () -> HfTokenizer.load(base), config.data().field());
    int longest = Collections.max(spec.lengths());
    int minTokens = spec.minTokens() != null ? spec.minTokens() : longest;
    Path cellsFile = dir.resolve(CELLS);
    List<TableCell> cells = readCells(cellsFile);
    int total = methods.size() * spec.lengths().size();
    Decoder loaded = null;
    Path loadedDir = null;
    try {
      for (Method m : methods) {
        for (int length : spec.lengths()) {
          if (find(cells, m.name(), length) != null) {
            continue;
          }
          if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("evaluation interrupted; resume from " + run);
          }
          if (!m.dir().equals(loadedDir)) {
            if (loaded != null) {
              loaded.close();
            }
            loaded = null;
            loadedDir = m.dir();
            loaded = HfModel.load(m.dir()).withAttentionChunk(Pipeline.ATTENTION_CHUNK);
          }
          Perplexity p =
              new Perplexity(length, spec.stride(), spec.samples(), minTokens, spec.truncate());
          if (p.eligible(docs).isEmpty()) {
            throw new FormatException(
                data.toString(),
                "",
                "no document has at least " + minTokens + " tokens (evaluate.min_tokens)");
          }
          Perplexity.Result r = p.evaluate(loaded, m.rope().apply(length), docs, null);
          double s = (double) (spec.targetLength() > 0 ? spec.targetLength() : length) / original;
          TableCell c =
              new TableCell(
                  m.name(), m.model(), length, s, r.ppl(), r.tokens(), r.documents(), r.seconds());
          append(cellsFile, c);
          cells.add(c);
          listener.cellDone(c, cells.size(), total);
        }
      }
    } finally {
      if (loaded != null) {
        loaded.close();
      }
    }
    Table t = table(ordered(cells, spec));
    ReportFiles.writeCsv(t, dir.resolve("table.csv"));
    String md =
        "# Perplexity after each stage\n\n"
            + "Rows: method (model); columns: evaluation length; data: `"
            + data
            + "`.\n\n"
            + Markdown.table(Pivot.wide(t, List.of("method", "model"), "length", "ppl"))
            + "\n![perplexity](perplexity.png)\n";
    ReportFiles.writeMarkdown(md, dir.resolve("table.md"));
    Table chart = t.selectColumns("method", "length", "ppl");
    chart.setName("perplexity vs length");
    ReportFiles.writePng(Charts.perplexityVsLength(chart), dir.resolve("perplexity.png"));
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("table", Pipeline.relative(run, dir.resolve("table.csv")));
    out.put("markdown", Pipeline.relative(run, dir.resolve("table.md")));
    out.put("data", data.toString());
    ArrayNode rows = out.putArray("rows");
    for (TableCell c : ordered(cells, spec)) {
      rows.add(Json.MAPPER.valueToTree(c));
    }
    return out;
  }

  private static Method method(
      String name,
      EvaluateSpec spec,
      ModelConfig baseConfig,
      Path base,
      StageRecord searchLong,
      StageRecord finetune,
      StageRecord export,
      Path run) {
    int original = baseConfig.originalLength();
    int pairs = baseConfig.rope().pairs();
    switch (name) {
      case "search":
        {
          RopeScaling r =
              HfRopeConfig.parseScaling(searchLong.value("rope_scaling"), pairs, "stage 1");
          return new Method(name, "base", base, length -> r);
        }
      case "finetuned":
        {
          Path dir = finetune.path(run, "model");
          RopeScaling r = HfModelConfig.read(dir).config().ropeScaling();
          return new Method(name, "finetuned", dir, length -> r);
        }
      case "extended":
        {
          Path dir = export.path(run, "model");
          RopeScaling r = HfModelConfig.read(dir).config().ropeScaling();
          return new Method(name, "extended", dir, length -> r);
        }
      default:
        {
          var f = RopeNames.method(name, baseConfig.rope(), original);
          return new Method(
              name,
              "base",
              base,
              length ->
                  f.apply(
                      (double) (spec.targetLength() > 0 ? spec.targetLength() : length)
                          / original));
        }
    }
  }

  private static TableCell find(List<TableCell> cells, String method, int length) {
    for (TableCell c : cells) {
      if (c.method().equals(method) && c.length() == length) {
        return c;
      }
    }
    return null;
  }

  /** The config's order (methods, then lengths), whatever order the cells finished in. */
  private static List<TableCell> ordered(List<TableCell> cells, EvaluateSpec spec) {
    List<TableCell> out = new ArrayList<>();
    for (String m : spec.methods()) {
      for (int length : spec.lengths()) {
        TableCell c = find(cells, m, length);
        if (c != null) {
          out.add(c);
        }
      }
    }
    return out;
  }

  static Table table(List<TableCell> cells) {
    Table t =
        Table.create(
            "perplexity",
            StringColumn.create("method"),
            StringColumn.create("model"),
            IntColumn.create("length"),
            DoubleColumn.create("scale"),
            DoubleColumn.create("ppl"),
            IntColumn.create("tokens"),
            IntColumn.create("documents"),
            DoubleColumn.create("seconds"));
    for (TableCell c : cells) {
      t.stringColumn("method").append(c.method());
      t.stringColumn("model").append(c.model());
      t.intColumn("length").append(c.length());
      t.doubleColumn("scale").append(c.scale());
      t.doubleColumn("ppl").append(c.ppl());
      t.intColumn("tokens").append((int) c.tokens());
      t.intColumn("documents").append(c.documents());
      t.doubleColumn("seconds").append(c.seconds());
    }
    return t;
  }

  /** The cells of a finished table, from its marker. */
  static List<TableCell> cells(StageRecord evaluate) {
    List<TableCell> out = new ArrayList<>();
    for (JsonNode row : evaluate.value("rows")) {
      out.add(cell(row));
    }
    return out;
  }

  private static TableCell cell(JsonNode o) {
    return new TableCell(
        o.get("method").asText(),
        o.get("model").asText(),
        o.get("length").asInt(),
        o.get("scale").asDouble(),
        o.get("ppl").asDouble(Double.NaN),
        o.get("tokens").asLong(),
        o.get("documents").asInt(),
        o.get("seconds").asDouble());
  }

  /** Cells already measured; a line cut short by a kill is dropped. */
  private static List<TableCell> readCells(Path file) {
    List<TableCell> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        try {
          out.add(cell(Json.parseObject(line, file.toString())));
        } catch (RuntimeException e) {
          break; // torn last line
        }
      }
      StringBuilder kept = new StringBuilder();
      for (TableCell c : out) {
        kept.append(line(c)).append('\n');
      }
      io.github.longrope.io.AtomicFiles.writeString(file, kept.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String line(TableCell c) {
    ObjectNode o = Json.MAPPER.valueToTree(c);
    return o.toString();
  }

  private static void append(Path file, TableCell c) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          line(c) + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
