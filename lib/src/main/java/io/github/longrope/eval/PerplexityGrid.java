package io.github.longrope.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.Documents;
import io.github.longrope.io.Json;
import io.github.longrope.model.Decoder;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;
import java.util.function.IntFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Perplexity of settings × data sets × lengths: the one loop behind every perplexity table here
 * (the quickstart's comparison, the pipeline's final table, an evaluation plan's perplexity
 * section, {@code longrope ppl}, the notebooks), so that they share one row type, one table schema,
 * one resume rule and one chart ({@code report.Charts.perplexityVsLength}).
 *
 * <pre>{@code
 * PerplexityGrid grid =
 *     new PerplexityGrid(new Perplexity(2, 2048, 3, 0, true), List.of(256, 2048), 256, 2048);
 * List<PerplexityGrid.Cell> cells = grid.run(grid.methods(EvalModel.of(dir), methods), docs, null);
 * XYChart chart = Charts.perplexityVsLength(PerplexityGrid.table("perplexity", cells));
 * }</pre>
 *
 * <p>The scale s = L′/L of a cell belongs to the grid, not to the settings: comparing methods means
 * configuring all of them for the same s, either one target for every length (the paper's figure:
 * all methods set for 8×, evaluated across lengths) or each length for itself.
 *
 * @param protocol stride, samples, min tokens and truncation; its length is replaced per cell
 * @param lengths evaluation lengths, in table order
 * @param originalLength L, the denominator of each cell's scale (0: no scale, NaN in the rows)
 * @param targetLength the L′ every method is set for, or 0 for each cell's own length
 */
public record PerplexityGrid(
    Perplexity protocol, List<Integer> lengths, int originalLength, int targetLength) {

  public PerplexityGrid {
    if (lengths.isEmpty()) {
      throw new IllegalArgumentException("give at least one evaluation length");
    }
    if (originalLength < 0 || targetLength < 0) {
      throw new IllegalArgumentException(
          "original and target length must be >= 0, got " + originalLength + ", " + targetLength);
    }
    lengths = List.copyOf(lengths);
  }

  /**
   * One row of a grid: its name, the model it runs on, and its RoPE at each evaluation length (a
   * method configured for the grid's scale, or one RoPE whatever the length).
   */
  public record Setting(String name, EvalModel model, IntFunction<RopeScaling> rope) {
    /** The same RoPE at every length (a checkpoint's own, a plan's override). */
    public static Setting fixed(String name, EvalModel model, RopeScaling rope) {
      return new Setting(name, model, length -> rope);
    }
  }

  /** Documents under a name; the name is part of each cell's key. */
  public record Dataset(String name, Documents docs) {}

  /**
   * One evaluated cell.
   *
   * @param method the setting's name
   * @param model the label of the model that ran it
   * @param scale s = L′/L the methods were configured for (NaN when the grid has no L)
   * @param tokens tokens scored
   * @param windows windows evaluated (0 in cells recorded before windows were)
   * @param documents documents evaluated
   * @param seconds wall time of the cell
   */
  public record Cell(
      String method,
      String model,
      String dataset,
      int length,
      double scale,
      double ppl,
      long tokens,
      int windows,
      int documents,
      double seconds) {

    /** One line of a cells file, one row of a stage record. */
    public ObjectNode toJson() {
      return Json.MAPPER.valueToTree(this);
    }

    /**
     * Reads {@link #toJson}; cells recorded before data sets and windows were (the pipeline's
     * earlier tables, which had one data set) get {@code dataset} and 0 windows.
     */
    public static Cell fromJson(JsonNode o, String dataset) {
      return new Cell(
          o.get("method").asText(),
          o.path("model").asText(""),
          o.path("dataset").asText(dataset),
          o.get("length").asInt(),
          o.path("scale").asDouble(Double.NaN),
          o.get("ppl").asDouble(Double.NaN),
          o.get("tokens").asLong(),
          o.path("windows").asInt(0),
          o.get("documents").asInt(),
          o.get("seconds").asDouble());
    }
  }

  /** Progress of a run. Calls come from the thread that runs the grid. */
  public interface Listener {
    /**
     * A cell was computed; {@code done} of {@code total} cells are now in the table, those read
     * back from a cells file included (they are not reported one by one).
     */
    void cellDone(Cell cell, int done, int total);

    /** A window of the cell being computed is done. */
    default void windowDone(Setting setting, Dataset dataset, int length, int done, int total) {}

    /**
     * Shows the table so far after every cell (in a notebook: {@code t -> updateDisplay(id, t)}),
     * named {@code perplexity (k of n cells)}.
     */
    static Listener live(Consumer<Table> show) {
      List<Cell> cells = new ArrayList<>();
      return (cell, done, total) -> {
        cells.add(cell);
        show.accept(table("perplexity (" + done + " of " + total + " cells)", cells));
      };
    }
  }

  /** The protocol at one evaluation length. */
  public Perplexity at(int length) {
    return new Perplexity(
        length, protocol.stride(), protocol.samples(), protocol.minTokens(), protocol.truncate());
  }

  /** The scale s the methods are configured for at {@code length}. */
  public double scale(int length) {
    return originalLength == 0
        ? Double.NaN
        : (double) (targetLength > 0 ? targetLength : length) / originalLength;
  }

  /** A method (a rule from the scale s to a RoPE) as a setting configured for this grid's s. */
  public Setting method(String name, EvalModel model, DoubleFunction<RopeScaling> rule) {
    if (originalLength == 0) {
      throw new IllegalArgumentException("a grid without L cannot configure method " + name);
    }
    return new Setting(name, model, length -> rule.apply(scale(length)));
  }

  /** Every method of a map (in its order) as a setting on {@code model}. */
  public List<Setting> methods(EvalModel model, Map<String, DoubleFunction<RopeScaling>> rules) {
    List<Setting> out = new ArrayList<>();
    rules.forEach((name, rule) -> out.add(method(name, model, rule)));
    return out;
  }

  /** Settings × lengths on one data set (named {@code eval}), silently (notebooks). */
  public List<Cell> run(List<Setting> settings, Documents docs) {
    return run(settings, docs, null);
  }

  /** Settings × lengths on one data set (named {@code eval}), nothing recorded on disk. */
  public List<Cell> run(List<Setting> settings, Documents docs, Listener listener) {
    return run(settings, List.of(new Dataset("eval", docs)), null, listener);
  }

  /**
   * Settings × data sets × lengths, setting-major. With a {@code cellsFile}, every finished cell is
   * appended to it and cells already there are not computed again (a data set missing from a
   * recorded cell is read as the first one). Each model is loaded when its first missing cell runs
   * and closed when the next model is needed or the grid ends. Stops with a {@link
   * CancellationException} between cells when the thread is interrupted.
   *
   * @param cellsFile the {@code cells.jsonl} record, or null
   * @param listener may be null
   * @return the grid's cells in grid order, those read back included
   */
  public List<Cell> run(
      List<Setting> settings, List<Dataset> datasets, Path cellsFile, Listener listener) {
    try (Decoders decoders = new Decoders()) {
      return run(settings, datasets, decoders, cellsFile, listener);
    }
  }

  List<Cell> run(
      List<Setting> settings,
      List<Dataset> datasets,
      Decoders decoders,
      Path cellsFile,
      Listener listener) {
    requireDistinct(settings.stream().map(Setting::name).toList(), "setting");
    requireDistinct(datasets.stream().map(Dataset::name).toList(), "data set");
    Map<List<Object>, Cell> have = new LinkedHashMap<>();
    if (cellsFile != null) {
      for (Cell c : CellsFile.read(cellsFile, datasets.get(0).name())) {
        have.put(List.of(c.method(), c.dataset(), c.length()), c);
      }
    }
    List<At> plan = new ArrayList<>();
    for (Setting s : settings) {
      for (Dataset d : datasets) {
        for (int length : lengths) {
          plan.add(new At(s, d, length));
        }
      }
    }
    int done = (int) plan.stream().filter(at -> have.containsKey(at.key())).count();
    for (At at : plan) {
      if (have.containsKey(at.key())) {
        continue;
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new CancellationException(
            "perplexity grid interrupted"
                + (cellsFile == null ? "" : "; finished cells are kept in " + cellsFile));
      }
      Cell c = cell(decoders.get(at.setting().model()), at, listener);
      if (cellsFile != null) {
        CellsFile.append(cellsFile, c);
      }
      have.put(at.key(), c);
      if (listener != null) {
        listener.cellDone(c, ++done, plan.size());
      }
    }
    return plan.stream().map(at -> have.get(at.key())).toList();
  }

  /** Where a cell sits in the grid; its key is what a recorded cell is matched by. */
  private record At(Setting setting, Dataset dataset, int length) {
    List<Object> key() {
      return List.of(setting.name(), dataset.name(), length);
    }
  }

  private Cell cell(Decoder decoder, At at, Listener listener) {
    Setting s = at.setting();
    Dataset d = at.dataset();
    int length = at.length();
    Perplexity.Result r =
        at(length)
            .evaluate(
                decoder,
                s.rope().apply(length),
                d.docs(),
                listener == null ? null : (w, all) -> listener.windowDone(s, d, length, w, all));
    return new Cell(
        s.name(),
        s.model().label(),
        d.name(),
        length,
        scale(length),
        r.ppl(),
        r.tokens(),
        r.windows(),
        r.documents(),
        r.seconds());
  }

  private static void requireDistinct(List<String> names, String what) {
    if (new HashSet<>(names).size() < names.size()) {
      throw new IllegalArgumentException("every " + what + " needs its own name, got " + names);
    }
  }

  /**
   * The cells as a table: method, model, dataset, length, scale, ppl, tokens, windows, documents,
   * seconds. What {@code report.Charts.perplexityVsLength} and {@code report.Pivot.wide} read;
   * outputs with fewer columns select theirs from it.
   */
  public static Table table(String name, List<Cell> cells) {
    StringColumn method = StringColumn.create("method");
    StringColumn model = StringColumn.create("model");
    StringColumn dataset = StringColumn.create("dataset");
    IntColumn length = IntColumn.create("length");
    DoubleColumn scale = DoubleColumn.create("scale");
    DoubleColumn ppl = DoubleColumn.create("ppl");
    LongColumn tokens = LongColumn.create("tokens");
    IntColumn windows = IntColumn.create("windows");
    IntColumn documents = IntColumn.create("documents");
    DoubleColumn seconds = DoubleColumn.create("seconds");
    for (Cell c : cells) {
      method.append(c.method());
      model.append(c.model());
      dataset.append(c.dataset());
      length.append(c.length());
      scale.append(c.scale());
      ppl.append(c.ppl());
      tokens.append(c.tokens());
      windows.append(c.windows());
      documents.append(c.documents());
      seconds.append(c.seconds());
    }
    return Table.create(
        name, method, model, dataset, length, scale, ppl, tokens, windows, documents, seconds);
  }
}
