package io.github.longrope.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.eval.mc.McItem;
import io.github.longrope.io.FactorFile;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Runs an {@link EvalConfig}: for every setting, perplexity (data sets × lengths, a {@link
 * PerplexityGrid}), the passkey grid, the multiple-choice tasks and, for settings with a short/long
 * pair, the boundary test; then writes one results folder. Each setting's model is loaded once for
 * all its sections.
 *
 * <pre>{@code
 * EvalSuite.Report r = EvalSuite.run(EvalConfig.read(Path.of("configs/eval/bundled.json")), null);
 * EvalReport.write(r, Path.of(r.config().output()));
 * r.perplexity();   // Tablesaw tables, also in notebooks
 * }</pre>
 *
 * <p>Folder: {@code config.json} (the resolved plan), {@code perplexity.csv} + {@code
 * perplexity-DATASET.png} (per setting on a log length axis), {@code passkey.csv} + {@code
 * passkey-SETTING.png} (heat maps; {@code passkey.png} accuracy vs length in random-depth mode) +
 * {@code passkey-trials.csv}, {@code mc.csv} + {@code mc.png} (accuracy bars with standard errors),
 * {@code boundary.csv}, and {@code summary.md} tying them together; {@code cells.jsonl} is the
 * perplexity record a killed run resumes from ({@link EvalCells}).
 *
 * <p>Progress is reported in estimated token units (a perplexity window counts its length, a
 * passkey trial its target length, a choice its characters / 4, a boundary row L × (new tokens +
 * 1)), which makes the ETA of a progress bar meaningful across stages. The thread's interrupt flag
 * cancels a run between forwards ({@link CancellationException}).
 */
public final class EvalSuite {
  private EvalSuite() {}

  /** Progress in estimated token units; {@code stage} says what runs. */
  public interface Listener {
    void progress(long done, long total, String stage);
  }

  /** The result tables (empty tables for sections not run) and messages. */
  public record Report(
      EvalConfig config,
      List<Resolved> settings,
      Table perplexity,
      Table passkey,
      Table passkeyTrials,
      Table mc,
      Table boundary,
      List<String> warnings) {
    public Report {
      settings = List.copyOf(settings);
      warnings = List.copyOf(warnings);
    }
  }

  /** A setting with its model config and RoPE resolved. */
  public record Resolved(
      EvalConfig.Setting setting, Path dir, ModelConfig config, RopeScaling scaling) {
    public String name() {
      return setting.name();
    }

    /** L: where a short/long pair switches. */
    public int originalLength() {
      return scaling.originalLengthOr(config.originalLength());
    }

    /** True when the RoPE switches from short to long factors after L. */
    public boolean hasPair() {
      int l = originalLength();
      return scaling.regime(l).orElse(null) == RopeScaling.Regime.SHORT
          && scaling.regime(l + 1).orElse(null) == RopeScaling.Regime.LONG;
    }
  }

  /**
   * Reads a setting's model config and applies its RoPE override: {@code long_factor} / {@code
   * short_factor} may be a factor CSV path or {@code "ones"}; {@code
   * original_max_position_embeddings} defaults to the checkpoint's original length.
   */
  public static Resolved resolve(EvalConfig.Setting s, List<String> warnings) {
    Path dir = Path.of(s.model());
    HfModelConfig.Loaded loaded = HfModelConfig.read(dir);
    loaded.warnings().forEach(w -> warnings.add(s.name() + ": " + w));
    ModelConfig base = loaded.config();
    if (s.ropeScaling() == null) {
      return new Resolved(s, dir, base, base.ropeScaling());
    }
    String source = "setting '" + s.name() + "' rope_scaling";
    ObjectNode rope = ((ObjectNode) s.ropeScaling()).deepCopy();
    int pairs = base.rope().pairs();
    for (String key : List.of("long_factor", "short_factor")) {
      JsonNode v = rope.get(key);
      if (v != null && v.isTextual()) {
        FactorTable table;
        if (v.textValue().equals("ones")) {
          table = FactorTable.ones(pairs);
        } else {
          FactorFile.Loaded f = FactorFile.read(Path.of(v.textValue()), pairs);
          f.warnings().forEach(w -> warnings.add(s.name() + ": " + w));
          table = f.table();
        }
        rope.set(key, Json.factors(table));
      }
    }
    List<String> noticed = new ArrayList<>();
    RopeScaling scaling =
        HfRopeConfig.parseScaling(rope, pairs, base.originalLength(), source, noticed);
    noticed.forEach(w -> warnings.add(s.name() + ": " + w));
    ModelConfig config = base.withRope(scaling);
    return new Resolved(s, dir, config, scaling);
  }

  /** Runs the plan; {@code listener} may be null. */
  public static Report run(EvalConfig plan, Listener listener) {
    List<String> warnings = new ArrayList<>();
    List<Resolved> settings = new ArrayList<>();
    for (EvalConfig.Setting s : plan.settings()) {
      settings.add(resolve(s, warnings));
    }
    Map<String, List<McItem>> mcItems = new LinkedHashMap<>();
    Map<String, List<McItem>> mcShots = new LinkedHashMap<>();
    for (EvalConfig.McSpec m : plan.mc()) {
      mcItems.put(m.name(), m.mcTask().read(Path.of(m.data())));
      mcShots.put(m.name(), m.shotsData() == null ? null : m.mcTask().read(Path.of(m.shotsData())));
    }
    try (EvalRun run = new EvalRun(plan, listener)) {
      run.cells = EvalCells.open(plan, settings, warnings);
      for (Resolved r : settings) {
        run.total += run.plan(r, mcItems);
      }
      for (Resolved r : settings) {
        run.evaluate(r, mcItems, mcShots, warnings);
      }
      return new Report(
          plan,
          settings,
          perplexityTable(run.ppl),
          run.passkey,
          run.trials,
          run.mc,
          run.boundary,
          warnings);
    }
  }

  /**
   * The grid's cells as the plan's perplexity table: setting, dataset, length, ppl, tokens,
   * windows, documents, seconds.
   */
  static Table perplexityTable(List<PerplexityGrid.Cell> cells) {
    Table t = PerplexityGrid.table("perplexity", cells);
    t.column("method").setName("setting");
    return t.selectColumns(
        "setting", "dataset", "length", "ppl", "tokens", "windows", "documents", "seconds");
  }

  /** The plan's perplexity section as a grid for one setting (s = length / the setting's L). */
  static PerplexityGrid grid(EvalConfig.PerplexitySpec p, Resolved r) {
    return new PerplexityGrid(
        new Perplexity(2, p.stride(), p.samples(), p.minTokens(), p.truncate()),
        p.lengths(),
        r.config().originalLength(),
        0);
  }

  static StringColumn constant(String column, String value, int rows) {
    StringColumn c = StringColumn.create(column);
    for (int i = 0; i < rows; i++) {
      c.append(value);
    }
    return c;
  }
}
