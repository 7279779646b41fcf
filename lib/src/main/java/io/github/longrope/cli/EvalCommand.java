package io.github.longrope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.eval.EvalConfig;
import io.github.longrope.eval.EvalReport;
import io.github.longrope.eval.EvalSuite;
import io.github.longrope.io.Json;
import io.github.longrope.report.TableJson;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code longrope eval}: perplexity, passkey, multiple choice and boundary for many settings. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an evaluation plan (FILE.json: settings = model + RoPE; perplexity, passkey grid,",
      "multiple-choice tasks, boundary test) and writes one results folder: CSV tables, PNG",
      "charts and summary.md."
    })
public final class EvalCommand implements Callable<Integer> {
  @Mixin JsonOption json;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The evaluation plan (see configs/eval/).")
  Path config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    EvalConfig plan = EvalConfig.read(config);
    if (plan.threads() != null) {
      ModelOptions.setThreads(plan.threads());
    }
    EvalSuite.Report report;
    Progress[] bar = {null};
    try {
      report =
          EvalSuite.run(
              plan,
              (done, total, stage) -> {
                if (bar[0] == null) {
                  bar[0] = new Progress("eval", total);
                }
                bar[0].message(stage);
                bar[0].stepTo(done);
              });
    } finally {
      if (bar[0] != null) {
        bar[0].close();
      }
    }
    Path out = Path.of(plan.output());
    EvalReport.write(report, out);
    PrintWriter err = spec.commandLine().getErr();
    report.warnings().forEach(w -> err.println("warning: " + w));
    err.flush();
    PrintWriter w = spec.commandLine().getOut();
    if (json.enabled()) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("output", out.toString());
      o.set("perplexity", TableJson.rows(report.perplexity()));
      o.set(
          "passkey",
          report.passkey() == null
              ? Json.MAPPER.createArrayNode()
              : TableJson.rows(report.passkey()));
      o.set("mc", TableJson.rows(report.mc()));
      o.set(
          "boundary",
          report.boundary() == null
              ? Json.MAPPER.createArrayNode()
              : TableJson.rows(EvalReport.boundarySummary(report.boundary())));
      o.set("warnings", Json.MAPPER.valueToTree(report.warnings()));
      w.print(Json.write(o));
    } else {
      w.print(Files.readString(out.resolve("summary.md")));
      w.println("(written to " + out + ")");
    }
    w.flush();
    return 0;
  }
}
