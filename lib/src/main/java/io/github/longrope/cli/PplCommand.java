package io.github.longrope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.data.Documents;
import io.github.longrope.eval.Baselines;
import io.github.longrope.eval.EvalModel;
import io.github.longrope.eval.Perplexity;
import io.github.longrope.eval.PerplexityGrid;
import io.github.longrope.eval.UnigramBaseline;
import io.github.longrope.io.FactorFile;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.rope.RopeNames;
import io.github.longrope.rope.RopeScaling;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.DoubleFunction;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code longrope ppl}: long-context perplexity by the official protocol at several lengths. */
@Command(
    name = "ppl",
    mixinStandardHelpOptions = true,
    description = {
      "Perplexity at several evaluation lengths (official LongRoPE protocol: BOS per window,",
      "sliding window with stride and a 10-window cap, or --truncate: one window per document)."
    })
public final class PplCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin JsonOption json;

  @ArgGroup(
      validate = false,
      heading = "%nRoPE scaling (overrides the checkpoint's rope_scaling):%n")
  RopeOptions rope = new RopeOptions();

  @Option(
      names = "--data",
      required = true,
      paramLabel = "PATH",
      description = "PREFIX.bin/.idx tokens, .json ids, .txt / directory of .txt, or .jsonl.")
  Path data;

  @Option(
      names = "--field",
      paramLabel = "NAME",
      description = "Text field of .jsonl (default text).")
  String field = "text";

  @Option(
      names = "--lengths",
      required = true,
      split = ",",
      paramLabel = "N",
      description = "Evaluation lengths in tokens (including BOS), e.g. 256,512,1024.")
  int[] lengths;

  @Option(
      names = "--stride",
      paramLabel = "N",
      description = "Sliding-window stride (default 256).")
  int stride = 256;

  @Option(names = "--samples", paramLabel = "N", description = "Documents to use (default all).")
  int samples;

  @Option(
      names = "--min-tokens",
      paramLabel = "N",
      description = "Skip documents shorter than this (official dataset_min_tokens; default 0).")
  int minTokens;

  @Option(
      names = "--truncate",
      description = "One window of the first length−1 tokens per document.")
  boolean truncate;

  @Option(
      names = "--compare",
      split = ",",
      paramLabel = "METHOD",
      description =
          "Compare methods instead of one --type: none, pi, ntk, yarn, longrope-yarn-seed,"
              + " longrope-yarn-exact; each set for --compare-target or for each row's length.")
  List<String> compare;

  @Option(
      names = "--compare-factors",
      paramLabel = "FILE",
      description = "Add searched factors λ (CSV) to the comparison as method 'factors'.")
  Path compareFactors;

  @Option(
      names = "--compare-target",
      paramLabel = "L'",
      description = "Configure every compared method for this length (default: each row's own).")
  int compareTarget;

  @Option(
      names = "--unigram-baseline",
      paramLabel = "TRAIN",
      description =
          "Also report the perplexity of add-one-smoothed token counts from this training split"
              + " (PREFIX.bin/.idx or any --data form): the context-free floor to beat.")
  Path unigramTrain;

  @Spec CommandSpec spec;

  /** The result of a run: one row per cell; {@code unigramPpl} NaN when not asked for. */
  public record Report(
      String model,
      String rope,
      List<PerplexityGrid.Cell> rows,
      double unigramPpl,
      List<String> warnings) {}

  @Override
  public Integer call() {
    boolean comparing = compare != null || compareFactors != null;
    if (comparing && rope.given()) {
      throw new IllegalArgumentException("--compare replaces --type: give one or the other");
    }
    model.configureEngine();
    List<String> warnings = new ArrayList<>();
    HfModelConfig.Loaded loaded = HfModelConfig.read(model.model);
    warnings.addAll(loaded.warnings());
    ModelConfig config = loaded.config();
    RopeScaling scaling =
        rope.given()
            ? rope.resolve(config.rope().pairs(), config.originalLength(), warnings)
            : config.ropeScaling();
    if (!comparing) {
      // validates the override against the model (e.g. per-layer factor rows vs layers)
      config = config.withRope(scaling);
    }
    Map<String, DoubleFunction<RopeScaling>> methods =
        comparing ? methods(config, warnings) : Map.of();
    PrintWriter err = spec.commandLine().getErr();
    warnings.forEach(w -> err.println("warning: " + w));
    err.flush();
    Documents docs = DocumentSources.open(data, () -> HfTokenizer.load(model.model), field);
    PerplexityGrid grid =
        new PerplexityGrid(
            new Perplexity(2, stride, samples, minTokens, truncate),
            Arrays.stream(lengths).boxed().toList(),
            config.originalLength(),
            comparing ? compareTarget : 0);
    EvalModel source =
        new EvalModel(model.model.toString(), model.model, config, model.attentionChunk);
    List<PerplexityGrid.Cell> rows;
    try (CellBars bars = new CellBars()) {
      rows =
          grid.run(
              comparing
                  ? grid.methods(source, methods)
                  : List.of(PerplexityGrid.Setting.fixed(scaling.typeName(), source, scaling)),
              docs,
              bars);
    }
    double unigram =
        unigramTrain == null
            ? Double.NaN
            : UnigramBaseline.fit(
                    DocumentSources.open(unigramTrain, () -> HfTokenizer.load(model.model), field),
                    config.vocabSize())
                .perplexity(docs);
    Report report = new Report(model.model.toString(), scaling.typeName(), rows, unigram, warnings);
    PrintWriter out = spec.commandLine().getOut();
    if (comparing) {
      out.print(
          json.enabled()
              ? Json.write(compareJson(report, compareTarget))
              : compareText(rows, methods.keySet(), unigram));
    } else {
      out.print(json.enabled() ? Json.write(toJson(report, scaling)) : toText(report));
    }
    out.flush();
    return 0;
  }

  /** {@code --compare}'s methods, and {@code --compare-factors} as method {@code factors}. */
  private Map<String, DoubleFunction<RopeScaling>> methods(
      ModelConfig config, List<String> warnings) {
    Map<String, DoubleFunction<RopeScaling>> methods =
        RopeNames.methods(
            compare == null ? List.of() : compare, config.rope(), config.originalLength());
    if (compareFactors != null) {
      FactorFile.Loaded f = FactorFile.read(compareFactors, config.rope().pairs());
      warnings.addAll(f.warnings());
      methods.put("factors", Baselines.factors(f.table(), config.originalLength()));
    }
    return methods;
  }

  /** One progress bar per cell, sized by its window count when its first window is done. */
  private static final class CellBars implements PerplexityGrid.Listener, AutoCloseable {
    Progress bar;

    @Override
    public void windowDone(
        PerplexityGrid.Setting s, PerplexityGrid.Dataset d, int length, int done, int total) {
      if (bar == null) {
        bar = new Progress("ppl " + s.name() + " " + length, total);
      }
      bar.stepTo(done);
    }

    @Override
    public void cellDone(PerplexityGrid.Cell cell, int done, int total) {
      close();
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }

  /** The keys of each cell's JSON that an output shows, in that order. */
  static ArrayNode rows(List<PerplexityGrid.Cell> cells, String... keys) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (PerplexityGrid.Cell c : cells) {
      ObjectNode all = c.toJson();
      ObjectNode x = a.addObject();
      for (String k : keys) {
        x.set(k, all.get(k));
      }
    }
    return a;
  }

  /** {@code --compare --json}: one row per cell, methods × lengths. */
  static ObjectNode compareJson(Report r, int target) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("model", r.model());
    o.put("compare_target", target);
    if (!Double.isNaN(r.unigramPpl())) {
      o.put("unigram_ppl", r.unigramPpl());
    }
    o.set(
        "rows", rows(r.rows(), "method", "length", "scale", "ppl", "tokens", "windows", "seconds"));
    return o;
  }

  /** Lengths down, methods across (the layout of the paper's tables). */
  static String compareText(
      List<PerplexityGrid.Cell> rows, java.util.Collection<String> methods, double unigram) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%8s", "length"));
    methods.forEach(m -> sb.append(String.format(Locale.ROOT, "  %18s", m)));
    sb.append('\n');
    Map<Integer, Map<String, Double>> grid = new java.util.TreeMap<>();
    for (PerplexityGrid.Cell r : rows) {
      grid.computeIfAbsent(r.length(), k -> new java.util.HashMap<>()).put(r.method(), r.ppl());
    }
    grid.forEach(
        (length, cells) -> {
          sb.append(String.format(Locale.ROOT, "%8d", length));
          methods.forEach(m -> sb.append(String.format(Locale.ROOT, "  %18.3f", cells.get(m))));
          sb.append('\n');
        });
    if (!Double.isNaN(unigram)) {
      sb.append(String.format(Locale.ROOT, "unigram baseline ppl %.3f%n", unigram));
    }
    return sb.toString();
  }

  static ObjectNode toJson(Report r, RopeScaling scaling) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("model", r.model());
    o.set("rope_scaling", HfRopeConfig.toJson(scaling));
    o.set("rows", rows(r.rows(), "length", "ppl", "tokens", "windows", "documents", "seconds"));
    if (!Double.isNaN(r.unigramPpl())) {
      o.put("unigram_ppl", r.unigramPpl());
    }
    ArrayNode w = o.putArray("warnings");
    r.warnings().forEach(w::add);
    return o;
  }

  static String toText(Report r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "model %s, rope %s%n", r.model(), r.rope()));
    sb.append(
        String.format(
            Locale.ROOT,
            "%8s  %12s  %10s  %8s  %9s%n",
            "length",
            "ppl",
            "tokens",
            "windows",
            "seconds"));
    for (PerplexityGrid.Cell x : r.rows()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%8d  %12.4f  %10d  %8d  %9.2f%n",
              x.length(),
              x.ppl(),
              x.tokens(),
              x.windows(),
              x.seconds()));
    }
    if (!Double.isNaN(r.unigramPpl())) {
      sb.append(String.format(Locale.ROOT, "unigram baseline ppl %.4f%n", r.unigramPpl()));
    }
    return sb.toString();
  }
}
