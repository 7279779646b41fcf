package io.github.longrope.cli;

import io.github.longrope.eval.ModelUnderTest;
import io.github.longrope.eval.mc.McEval;
import io.github.longrope.eval.mc.McItem;
import io.github.longrope.eval.mc.McJob;
import io.github.longrope.eval.mc.McTask;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code longrope mc}: a multiple-choice task scored by log-likelihood. */
@Command(name = "mc", mixinStandardHelpOptions = true)
public final class McCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin JsonOption json;

  @Option(names = "--task", required = true, paramLabel = "TASK")
  String task;

  @Option(names = "--data", required = true, paramLabel = "FILE")
  Path data;

  @Option(names = "--shots", paramLabel = "K")
  int shots;

  @Option(names = "--shots-data", paramLabel = "FILE")
  Path shotsData;

  @Mixin SeedOption seed = new SeedOption(1234);

  @Option(names = "--limit", paramLabel = "N")
  int limit;

  @Option(names = "--items", paramLabel = "FILE")
  Path itemsFile;

  @Override
  public Integer call() {
    McTask t = McTask.parse(task);
    List<McItem> items = t.read(data);
    List<McItem> pool = shotsData == null ? null : t.read(shotsData);
    McEval eval = new McEval(shots, seed.value(), limit);
    ModelUnderTest m = model.resolve();
    json.warn(m.warnings());
    McJob.Request q = new McJob.Request(m, t, data, items, pool, eval, itemsFile);
    McJob.Report r =
        Progress.run(
            t.id(), eval.forwards(items), bar -> McJob.run(q, (done, n) -> bar.stepTo(done)));
    return json.report(r, r::text);
  }
}
