package io.github.longrope.eval;

import io.github.longrope.data.DocumentSources;
import io.github.longrope.data.Documents;
import io.github.longrope.eval.mc.McEval;
import io.github.longrope.eval.mc.McItem;
import io.github.longrope.eval.mc.McResult;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.model.Decoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The state of one run: tables being filled, progress counters, tokenizers and documents. */
final class EvalRun implements AutoCloseable, PerplexityGrid.Listener {
  final EvalConfig plan;
  final EvalSuite.Listener listener;
  long total;
  long done;
  final List<PerplexityGrid.Cell> ppl = new ArrayList<>();

  /** The perplexity record ({@link EvalCells}), or null. */
  Path cells;

  Table passkey;
  final Table trials =
      Table.create(
          "passkey_trials",
          StringColumn.create("setting"),
          IntColumn.create("length"),
          DoubleColumn.create("depth"),
          IntColumn.create("trial"),
          IntColumn.create("passkey"),
          IntColumn.create("prefix_chars"),
          IntColumn.create("budget_chars"),
          IntColumn.create("prompt_tokens"),
          StringColumn.create("answer_text"),
          BooleanColumn.create("correct"));
  final Table mc =
      Table.create(
          "mc",
          StringColumn.create("setting"),
          StringColumn.create("task"),
          IntColumn.create("n"),
          IntColumn.create("shots"),
          DoubleColumn.create("accuracy"),
          DoubleColumn.create("stderr"),
          DoubleColumn.create("accuracy_norm"),
          DoubleColumn.create("stderr_norm"),
          DoubleColumn.create("p_true"),
          DoubleColumn.create("p_true_stderr"));
  Table boundary;

  /** Per model directory: its tokenizer and the documents opened with it (planned once). */
  final Map<Path, Tokenizers> tokenizers = new LinkedHashMap<>();

  /** The decoder of the setting being evaluated, shared by its sections. */
  final Decoders decoders = new Decoders();

  EvalRun(EvalConfig plan, EvalSuite.Listener listener) {
    this.plan = plan;
    this.listener = listener;
  }

  Tokenizers tokenizers(Path dir) {
    return tokenizers.computeIfAbsent(dir.toAbsolutePath().normalize(), Tokenizers::new);
  }

  @Override
  public void close() {
    decoders.close();
    tokenizers.values().forEach(Tokenizers::close);
  }

  @Override
  public void cellDone(PerplexityGrid.Cell cell, int done, int total) {}

  /** A perplexity window counts its length. */
  @Override
  public void windowDone(
      PerplexityGrid.Setting s, PerplexityGrid.Dataset d, int length, int done, int total) {
    step(length, s.name() + ": ppl " + d.name() + " " + length);
  }

  void step(long units, String stage) {
    done += units;
    if (listener != null) {
      listener.progress(Math.min(done, total), total, stage);
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("evaluation cancelled during " + stage);
    }
  }

  /** Estimated units of one setting. */
  long plan(EvalSuite.Resolved r, Map<String, List<McItem>> mcItems) {
    long units = 0;
    EvalConfig.PerplexitySpec p = plan.perplexity();
    if (p != null) {
      boolean bos = r.config().bosTokenId() >= 0;
      Tokenizers tok = tokenizers(r.dir());
      for (EvalConfig.Dataset d : p.datasets()) {
        Documents docs = p.documents(tok.documents(d));
        for (int length : p.lengths()) {
          units += (long) EvalSuite.grid(p, r).at(length).windowCount(docs, bos) * length;
        }
      }
    }
    if (plan.passkey() != null) {
      PasskeyGrid g = plan.passkey().grid();
      for (int length : g.lengths()) {
        units += (long) length * Math.max(1, g.depths().size()) * g.trials();
      }
    }
    for (EvalConfig.McSpec m : plan.mc()) {
      units += mcUnits(m, mcItems.get(m.name()));
    }
    if (plan.boundary() != null && r.hasPair()) {
      units += 2L * plan.boundary().trials() * boundaryRowUnits(r);
    }
    return units;
  }

  long boundaryRowUnits(EvalSuite.Resolved r) {
    return (long) r.originalLength() * (plan.boundary().maxNewTokens() + 1);
  }

  static long mcUnits(EvalConfig.McSpec m, List<McItem> items) {
    long chars = 0;
    for (McItem i : new McEval(m.shots(), m.seed(), m.limit()).selected(items)) {
      long ctx = (long) (i.description().length() + i.query().length()) * (1 + m.shots());
      for (String c : i.choices()) {
        chars += ctx + c.length() + 1;
      }
    }
    return Math.max(1, chars / 4);
  }

  void evaluate(
      EvalSuite.Resolved r,
      Map<String, List<McItem>> mcItems,
      Map<String, List<McItem>> mcShots,
      List<String> warnings) {
    String name = r.name();
    Tokenizers tok = tokenizers(r.dir());
    EvalModel source =
        new EvalModel(
            r.setting().model(),
            r.dir(),
            r.config(),
            plan.attentionChunk(),
            plan.precision(),
            plan.placement());
    Decoder model = decoders.get(source);
    EvalConfig.PerplexitySpec p = plan.perplexity();
    if (p != null) {
      List<PerplexityGrid.Dataset> data = new ArrayList<>();
      for (EvalConfig.Dataset d : p.datasets()) {
        data.add(new PerplexityGrid.Dataset(d.name(), p.documents(tok.documents(d))));
      }
      ppl.addAll(
          EvalSuite.grid(p, r)
              .run(
                  List.of(PerplexityGrid.Setting.fixed(name, source, r.scaling())),
                  data,
                  decoders,
                  cells,
                  this));
    }
    if (plan.passkey() != null) {
      PasskeyGrid g = plan.passkey().grid();
      PasskeyGrid.Result res =
          g.run(
              model,
              r.scaling(),
              tok.codec(),
              (k, all, t) -> step(t.length(), name + ": passkey " + t.length()));
      Table cells = res.table();
      cells.insertColumn(0, EvalSuite.constant("setting", name, cells.rowCount()));
      passkey = passkey == null ? cells : passkey.append(cells);
      for (PasskeyGrid.Trial t : res.trials()) {
        trials.stringColumn("setting").append(name);
        trials.intColumn("length").append(t.length());
        DoubleColumn depth = trials.doubleColumn("depth");
        if (Double.isNaN(t.depth())) {
          depth.appendMissing();
        } else {
          depth.append(t.depth() * 100);
        }
        trials.intColumn("trial").append(t.index());
        trials.intColumn("passkey").append(t.prompt().passkey());
        trials.intColumn("prefix_chars").append(t.prompt().prefixChars());
        trials.intColumn("budget_chars").append(t.prompt().budgetChars());
        trials.intColumn("prompt_tokens").append(t.promptTokens());
        trials.stringColumn("answer_text").append(t.answerText());
        trials.booleanColumn("correct").append(t.correct());
      }
    }
    for (EvalConfig.McSpec m : plan.mc()) {
      List<McItem> items = mcItems.get(m.name());
      McEval eval = new McEval(m.shots(), m.seed(), m.limit());
      long units = mcUnits(m, items);
      long[] stepped = {0};
      String stage = name + ": " + m.name();
      McResult res =
          eval.run(
              model,
              r.scaling(),
              tok.codec(),
              items,
              mcShots.get(m.name()),
              (k, all) -> {
                long target = units * k / all; // exactly the planned units at the end
                step(target - stepped[0], stage);
                stepped[0] = target;
              });
      mc.stringColumn("setting").append(name);
      mc.stringColumn("task").append(m.name());
      mc.intColumn("n").append(res.n());
      mc.intColumn("shots").append(res.shots());
      mc.doubleColumn("accuracy").append(res.accuracy());
      mc.doubleColumn("stderr").append(res.accuracyStderr());
      mc.doubleColumn("accuracy_norm").append(res.accuracyNorm());
      mc.doubleColumn("stderr_norm").append(res.accuracyNormStderr());
      mc.doubleColumn("p_true").append(res.pTrue());
      mc.doubleColumn("p_true_stderr").append(res.pTrueStderr());
    }
    if (plan.boundary() != null) {
      if (r.hasPair()) {
        long per = boundaryRowUnits(r);
        BoundaryTest.Result res =
            plan.boundary()
                .test()
                .run(
                    model,
                    r.scaling(),
                    r.originalLength(),
                    tok.codec(),
                    (k, all, row) -> step(per, name + ": boundary"));
        Table rows = res.table();
        rows.insertColumn(0, EvalSuite.constant("setting", name, rows.rowCount()));
        boundary = boundary == null ? rows : boundary.append(rows);
      } else {
        warnings.add(
            name + ": boundary test skipped (its RoPE has no short/long pair switching at L)");
      }
    }
  }

  /** A model directory's tokenizer (loaded on first use) and the documents opened with it. */
  static final class Tokenizers implements AutoCloseable {
    final Path dir;
    HfTokenizer tokenizer;
    final Map<String, Documents> docs = new LinkedHashMap<>();

    Tokenizers(Path dir) {
      this.dir = dir;
    }

    HfTokenizer get() {
      if (tokenizer == null) {
        tokenizer = HfTokenizer.load(dir);
      }
      return tokenizer;
    }

    TextCodec codec() {
      return TextCodec.of(get());
    }

    Documents documents(EvalConfig.Dataset d) {
      return docs.computeIfAbsent(
          d.name(), k -> DocumentSources.open(Path.of(d.data()), this::get, d.field()));
    }

    @Override
    public void close() {
      if (tokenizer != null) {
        tokenizer.close();
      }
    }
  }
}
