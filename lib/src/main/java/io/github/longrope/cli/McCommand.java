package io.github.longrope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.eval.TextCodec;
import io.github.longrope.eval.mc.McEval;
import io.github.longrope.eval.mc.McItem;
import io.github.longrope.eval.mc.McResult;
import io.github.longrope.eval.mc.McTask;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import io.github.longrope.model.Decoder;
import io.github.longrope.report.ReportFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code longrope mc}: a multiple-choice task scored by log-likelihood. */
@Command(
    name = "mc",
    mixinStandardHelpOptions = true,
    description = {
      "Multiple choice by log-likelihood (Open LLM benchmark style) on a local .jsonl file in the",
      "public layout of ARC-Challenge, HellaSwag, MMLU or TruthfulQA (multiple_choice); accuracy",
      "(sum log-likelihood) and acc_norm (per character) with standard errors."
    })
public final class McCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin JsonOption json;

  @ArgGroup(
      validate = false,
      heading = "%nRoPE scaling (overrides the checkpoint's rope_scaling):%n")
  RopeOptions rope = new RopeOptions();

  @Option(
      names = "--task",
      required = true,
      paramLabel = "TASK",
      description = "arc, hellaswag, mmlu, truthfulqa (MC1) or truthfulqa_mc2.")
  String task;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "FILE",
      description = "The task's items, one JSON object a line.")
  Path data;

  @Option(
      names = "--shots",
      paramLabel = "K",
      description = "Few-shot examples before each item (default 0).")
  int shots;

  @Option(
      names = "--shots-data",
      paramLabel = "FILE",
      description = "Few-shot pool (default: the other items of --data).")
  Path shotsData;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Few-shot sampling seed (default 1234).")
  long seed = 1234;

  @Option(names = "--limit", paramLabel = "N", description = "Only the first N items.")
  int limit;

  @Option(
      names = "--items",
      paramLabel = "FILE",
      description = "Write per-item scores (log-likelihood per choice) as CSV.")
  Path itemsFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    model.configureEngine();
    McTask t = McTask.parse(task);
    List<McItem> items = t.read(data);
    List<McItem> pool = shotsData == null ? null : t.read(shotsData);
    McEval eval = new McEval(shots, seed, limit);
    ModelSetup setup = ModelSetup.resolve(model, rope);
    setup.printWarnings(spec.commandLine().getErr());
    McResult r;
    try (HfTokenizer tokenizer = HfTokenizer.load(model.model);
        Decoder decoder = setup.load(model);
        Progress bar = new Progress(t.id(), eval.forwards(items))) {
      r =
          eval.run(
              decoder,
              setup.scaling(),
              TextCodec.of(tokenizer),
              items,
              pool,
              (done, total) -> bar.stepTo(done));
    }
    if (itemsFile != null) {
      ReportFiles.writeCsv(r.itemTable(), itemsFile);
    }
    PrintWriter w = spec.commandLine().getOut();
    if (json.enabled()) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("model", model.model.toString());
      o.set("rope_scaling", HfRopeConfig.toJson(setup.scaling()));
      o.put("task", t.id());
      o.put("data", data.toString());
      o.put("n", r.n());
      o.put("shots", r.shots());
      o.put("accuracy", r.accuracy());
      o.put("stderr", r.accuracyStderr());
      o.put("accuracy_norm", r.accuracyNorm());
      o.put("stderr_norm", r.accuracyNormStderr());
      o.put("p_true", r.pTrue());
      o.put("p_true_stderr", r.pTrueStderr());
      o.put("seconds", r.seconds());
      o.set("warnings", Json.MAPPER.valueToTree(setup.warnings()));
      w.print(Json.write(o));
    } else {
      w.printf(
          Locale.ROOT,
          "%s, %d items, %d-shot, rope %s%naccuracy       %.4f ± %.4f%naccuracy_norm  %.4f ± %.4f%n"
              + "p_true         %.4f ± %.4f%n",
          t.id(),
          r.n(),
          r.shots(),
          setup.scaling().typeName(),
          r.accuracy(),
          r.accuracyStderr(),
          r.accuracyNorm(),
          r.accuracyNormStderr(),
          r.pTrue(),
          r.pTrueStderr());
    }
    w.flush();
    return 0;
  }
}
