package io.github.longrope.pipeline;

import static io.github.longrope.FaultChecks.linesWithout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.ChildJvm;
import io.github.longrope.FaultChecks;
import io.github.longrope.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} of {@code longrope pipeline} (the tiny six-stage pipeline of {@link
 * TinyPipeline}, {@code --threads 1}) at three points — during the first search, right after the
 * fine-tune's {@code done.json}, during the evaluation table — then {@code --resume}: every run
 * ends with the uninterrupted run's searches (same candidates and fitness, line for line),
 * fine-tune log (one line per step), exported factors and table, and no table cell recorded twice.
 */
class PipelineKillTest {
  @TempDir Path dir;

  /** A kill point: its name and the condition on the run folder that triggers it. */
  record Point(String name, Function<Path, ChildJvm.Probe> when) {}

  static final List<Point> POINTS =
      List.of(
          new Point(
              "search",
              run -> () -> ChildJvm.lines(run.resolve("stage1-search-long/history.jsonl")) >= 2),
          new Point(
              "between-stages",
              run -> () -> Files.exists(run.resolve("stage2-finetune/done.json"))),
          new Point(
              "evaluate",
              run -> () -> ChildJvm.lines(run.resolve("stage6-evaluate/cells.jsonl")) >= 4));

  @Test
  void killedPipelinesResumeToTheUninterruptedRun() throws Exception {
    TinyPipeline.writeModelAndData(dir);
    // the uninterrupted run and the runs to kill start together (one thread each): the test takes
    // about two pipelines' time instead of four
    Process reference = pipeline("full", false);
    List<Process> children = new ArrayList<>();
    List<ChildJvm.Probe> when = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    List<String> names = POINTS.stream().map(Point::name).toList();
    for (Point point : POINTS) {
      children.add(pipeline(point.name(), false));
      when.add(point.when().apply(dir.resolve(point.name())));
      logs.add(log(point.name()));
    }
    ChildJvm.killEachWhen(children, when, 300, logs, names);
    List<List<String>> killedWith = new ArrayList<>();
    List<Process> resumed = new ArrayList<>();
    for (String name : names) {
      List<String> done = stagesDone(dir.resolve(name));
      assertTrue(done.size() < 6, name + ": killed before the end, stages done: " + done);
      killedWith.add(done);
      resumed.add(pipeline(name, true));
    }
    assertEquals(0, ChildJvm.finish(reference, 600, log("full")), text("full"));
    assertEquals(6, stagesDone(dir.resolve("full")).size(), text("full"));
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      assertEquals(0, ChildJvm.finish(resumed.get(i), 600, log(name)), text(name));
      assertSameRun(
          name + " (killed with " + killedWith.get(i) + " done)",
          dir.resolve("full"),
          dir.resolve(name));
    }
  }

  /**
   * The searches, fine-tune log, exported factors and table of {@code y} are those of {@code x}.
   */
  static void assertSameRun(String what, Path x, Path y) throws Exception {
    for (String search :
        List.of("stage1-search-long", "stage3-search-relative", "stage4-search-short")) {
      Path h = Path.of(search, "history.jsonl");
      assertEquals(
          linesWithout(x.resolve(h), "seconds"),
          linesWithout(y.resolve(h), "seconds"),
          what + ": " + h);
    }
    Path log = Path.of("stage2-finetune", "log.jsonl");
    List<String> steps = linesWithout(y.resolve(log), "tokens_per_second");
    assertEquals(linesWithout(x.resolve(log), "tokens_per_second"), steps, what + ": " + log);
    Path model = Path.of("stage5-export", "model", "config.json");
    assertEquals(
        Json.readObject(x.resolve(model)).get("rope_scaling"),
        Json.readObject(y.resolve(model)).get("rope_scaling"),
        what + ": exported factors");
    Path cells = Path.of("stage6-evaluate", "cells.jsonl");
    FaultChecks.assertNoCellTwice(y.resolve(cells));
    assertEquals(
        linesWithout(x.resolve(cells), "seconds"),
        linesWithout(y.resolve(cells), "seconds"),
        what + ": " + cells);
    Path table = Path.of("stage6-evaluate", "table.csv");
    assertEquals(
        FaultChecks.csvWithoutSeconds(x.resolve(table)),
        FaultChecks.csvWithoutSeconds(y.resolve(table)),
        what + ": " + table);
  }

  /** The stage folders holding a {@code done.json}. */
  static List<String> stagesDone(Path run) throws Exception {
    List<String> out = new ArrayList<>();
    if (Files.isDirectory(run)) {
      try (var s = Files.list(run)) {
        s.filter(p -> Files.exists(p.resolve("done.json")))
            .map(p -> p.getFileName().toString())
            .sorted()
            .forEach(out::add);
      }
    }
    return out;
  }

  /** {@code longrope pipeline --config NAME.json --threads 1 [--resume]}, run folder NAME. */
  Process pipeline(String name, boolean resume) throws Exception {
    Path config = dir.resolve(name + ".json");
    if (!resume) {
      ObjectNode c = TinyPipeline.config(dir).toJson();
      c.put("run", dir.resolve(name).toString());
      Files.writeString(config, Json.write(c));
    }
    List<String> args =
        new ArrayList<>(List.of("pipeline", "--config", config.toString(), "--threads", "1"));
    if (resume) {
      args.add("--resume");
    }
    return ChildJvm.cli(log(name), args.toArray(String[]::new));
  }

  Path log(String name) {
    return dir.resolve(name + ".log");
  }

  String text(String name) throws Exception {
    return ChildJvm.log(log(name));
  }
}
