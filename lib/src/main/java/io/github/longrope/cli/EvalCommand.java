package io.github.longrope.cli;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.github.longrope.eval.EvalConfig;
import io.github.longrope.eval.EvalReport;
import io.github.longrope.eval.EvalSuite;
import io.github.longrope.io.RunLock;
import io.github.longrope.report.TableJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tech.tablesaw.api.Table;

/** {@code longrope eval}: perplexity, passkey, multiple choice and boundary for many settings. */
@Command(name = "eval", mixinStandardHelpOptions = true)
public final class EvalCommand implements Callable<Integer> {
  @Mixin JsonOption json;

  @Option(names = "--config", required = true, paramLabel = "FILE")
  Path config;

  /** The {@code --json} document: the tables as row arrays (empty for a part not in the plan). */
  record Report(
      Path output,
      @JsonSerialize(using = TableJson.Serializer.class) Table perplexity,
      @JsonSerialize(using = TableJson.Serializer.class) Table passkey,
      @JsonSerialize(using = TableJson.Serializer.class) Table mc,
      @JsonSerialize(using = TableJson.Serializer.class) Table boundary,
      List<String> warnings) {
    Report(Path output, EvalSuite.Report r) {
      this(
          output,
          r.perplexity(),
          r.passkey() == null ? Table.create() : r.passkey(),
          r.mc(),
          r.boundary() == null ? Table.create() : EvalReport.boundarySummary(r.boundary()),
          r.warnings());
    }
  }

  @Override
  @SuppressWarnings("try") // the run lock is held for the block, not used in it
  public Integer call() throws IOException {
    EvalConfig plan = EvalConfig.read(config);
    if (plan.threads() != null) {
      ThreadsOption.set(plan.threads());
    }
    // one evaluation at a time per output folder, refused before hours of work, not after
    try (RunLock lock = RunLock.acquire(Path.of(plan.output()), m -> json.warn(List.of(m)))) {
      return evaluate(plan);
    }
  }

  private Integer evaluate(EvalConfig plan) throws IOException {
    EvalSuite.Report report;
    try (Progress.Slot bar = new Progress.Slot()) {
      report =
          EvalSuite.run(
              plan,
              (done, total, stage) -> {
                Progress b = bar.get("eval", total);
                b.message(stage);
                b.stepTo(done);
              });
    }
    Path out = Path.of(plan.output());
    EvalReport.write(report, out);
    json.warn(report.warnings());
    String summary = json.enabled() ? "" : Files.readString(out.resolve("summary.md"));
    return json.report(new Report(out, report), () -> summary + "(written to " + out + ")\n");
  }
}
