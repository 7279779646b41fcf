package io.github.longrope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.eval.BoundaryTest;
import io.github.longrope.eval.EvalReport;
import io.github.longrope.eval.TextCodec;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import io.github.longrope.model.Decoder;
import io.github.longrope.report.Markdown;
import io.github.longrope.report.ReportFiles;
import io.github.longrope.report.TableJson;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Table;

/** {@code longrope boundary}: passkey answers generated across the short/long switch. */
@Command(
    name = "boundary",
    mixinStandardHelpOptions = true,
    description = {
      "The short/long boundary test: passkey prompts ending just below the original length L,",
      "answers generated past it, under a longrope short/long pair, with each KV-cache policy.",
      "Exit status 1 when a cached answer differs from greedy decoding by full forwards."
    })
public final class BoundaryCommand implements Callable<Integer> {
  /** Exit status when a cached generation is not exact. */
  public static final int NOT_EXACT = 1;

  @Mixin ModelOptions model;
  @Mixin JsonOption json;

  @ArgGroup(
      validate = false,
      heading =
          "%nRoPE scaling (a longrope pair; --type longrope without --short-factors uses"
              + " short factors of 1):%n")
  RopeOptions rope = new RopeOptions();

  @Option(names = "--trials", paramLabel = "N", description = "Prompts (default 10).")
  int trials = 10;

  @Option(names = "--seed", paramLabel = "S", description = "RNG seed (default 42).")
  long seed = 42;

  @Option(
      names = "--margin",
      paramLabel = "K",
      description = "Prompts have at most L − K tokens, BOS included (default 3).")
  int margin = 3;

  @Option(
      names = "--max-new-tokens",
      paramLabel = "N",
      description = "Tokens generated per answer (default 10; at least K + 2).")
  int maxNewTokens = 10;

  @Option(names = "--out", paramLabel = "DIR", description = "Write boundary.csv to DIR.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    model.configureEngine();
    ModelSetup setup = ModelSetup.resolve(model, rope);
    if (setup.scaling() instanceof LongRopeScaling l && l.shortFactors() == null && !l.dynamic()) {
      setup =
          setup.withScaling(
              l.withShortFactors(FactorTable.ones(l.factors().width())),
              "no short factors given: the short set is all 1 (the original RoPE up to L)");
    }
    BoundaryTest test = new BoundaryTest(trials, seed, margin, maxNewTokens);
    int original = setup.originalLength();
    BoundaryTest.requirePair(setup.scaling(), original);
    setup.printWarnings(spec.commandLine().getErr());
    BoundaryTest.Result result;
    try (HfTokenizer tokenizer = HfTokenizer.load(model.model);
        Decoder decoder = setup.load(model);
        Progress bar = new Progress("boundary", 2L * trials)) {
      result =
          test.run(
              decoder,
              setup.scaling(),
              original,
              TextCodec.of(tokenizer),
              (done, total, row) -> bar.stepTo(done));
    }
    Table summary = EvalReport.boundarySummary(result.table());
    if (out != null) {
      ReportFiles.writeCsv(result.table(), out.resolve("boundary.csv"));
    }
    PrintWriter w = spec.commandLine().getOut();
    if (json.enabled()) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("model", model.model.toString());
      o.set("rope_scaling", HfRopeConfig.toJson(setup.scaling()));
      o.put("original_length", original);
      o.put("all_exact", result.allExact());
      o.put("crossed", result.crossed());
      o.set("summary", TableJson.rows(summary));
      o.set("rows", TableJson.rows(result.table()));
      o.set("warnings", Json.MAPPER.valueToTree(setup.warnings()));
      w.print(Json.write(o));
    } else {
      w.printf(
          Locale.ROOT,
          "model %s, L = %d: %d of %d generations crossed L; cached = full forward: %s%n%n%s%n%s",
          model.model,
          original,
          result.crossed(),
          result.rows().size(),
          result.allExact() ? "yes" : "NO",
          Markdown.table(summary),
          Markdown.table(
              result
                  .table()
                  .selectColumns(
                      "trial",
                      "policy",
                      "prompt_tokens",
                      "last_length",
                      "prompt_regime",
                      "final_regime",
                      "recomputes",
                      "answer",
                      "exact",
                      "retrieved")));
    }
    w.flush();
    return result.allExact() ? 0 : NOT_EXACT;
  }
}
