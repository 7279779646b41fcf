package io.github.longrope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.data.Documents;
import io.github.longrope.eval.Perplexity;
import io.github.longrope.eval.UnigramBaseline;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.rope.RopeScaling;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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
      names = "--unigram-baseline",
      paramLabel = "TRAIN",
      description =
          "Also report the perplexity of add-one-smoothed token counts from this training split"
              + " (PREFIX.bin/.idx or any --data form): the context-free floor to beat.")
  Path unigramTrain;

  @Spec CommandSpec spec;

  /** The result of a run: one row per length; {@code unigramPpl} NaN when not asked for. */
  public record Report(
      String model,
      String rope,
      List<Perplexity.Result> rows,
      double unigramPpl,
      List<String> warnings) {}

  @Override
  public Integer call() {
    model.configureEngine();
    List<String> warnings = new ArrayList<>();
    HfModelConfig.Loaded loaded = HfModelConfig.read(model.model);
    warnings.addAll(loaded.warnings());
    ModelConfig config = loaded.config();
    RopeScaling scaling =
        rope.given()
            ? rope.resolve(config.rope().pairs(), config.originalLength(), warnings)
            : config.ropeScaling();
    // validates the override against the model (e.g. per-layer factor rows vs layers)
    config =
        config.withRope(scaling, HfRopeConfig.originalLength(scaling, config.originalLength()));
    PrintWriter err = spec.commandLine().getErr();
    warnings.forEach(w -> err.println("warning: " + w));
    err.flush();
    Documents docs = DocumentSources.open(data, () -> HfTokenizer.load(model.model), field);
    List<Perplexity.Result> rows = new ArrayList<>();
    try (Decoder decoder =
        HfModel.load(model.model, config).withAttentionChunk(model.attentionChunk)) {
      for (int length : lengths) {
        Perplexity p = new Perplexity(length, stride, samples, minTokens, truncate);
        try (Progress bar =
            new Progress("ppl " + length, p.windowCount(docs, config.bosTokenId() >= 0))) {
          rows.add(p.evaluate(decoder, scaling, docs, (done, total) -> bar.stepTo(done)));
        }
      }
    }
    double unigram = Double.NaN;
    if (unigramTrain != null) {
      Documents train =
          DocumentSources.open(unigramTrain, () -> HfTokenizer.load(model.model), field);
      unigram = UnigramBaseline.fit(train, config.vocabSize()).perplexity(docs);
    }
    Report report = new Report(model.model.toString(), scaling.typeName(), rows, unigram, warnings);
    PrintWriter out = spec.commandLine().getOut();
    out.print(json.enabled() ? Json.write(toJson(report, scaling)) : toText(report));
    out.flush();
    return 0;
  }

  static ObjectNode toJson(Report r, RopeScaling scaling) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("model", r.model());
    o.set("rope_scaling", HfRopeConfig.toJson(scaling));
    ArrayNode rows = o.putArray("rows");
    for (Perplexity.Result x : r.rows()) {
      ObjectNode row = rows.addObject();
      row.put("length", x.length());
      row.put("ppl", x.ppl());
      row.put("tokens", x.tokens());
      row.put("windows", x.windows());
      row.put("documents", x.documents());
      row.put("seconds", x.seconds());
    }
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
    for (Perplexity.Result x : r.rows()) {
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
