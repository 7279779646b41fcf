package io.github.longrope.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.ChildJvm;
import io.github.longrope.FaultChecks;
import io.github.longrope.data.InMemoryDocuments;
import io.github.longrope.data.TokenFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training is reproducible bit for bit on CPU for a fixed seed and {@code --threads 1}, end to end
 * through the CLI in separate JVMs: two uninterrupted runs started together (different memory
 * layouts, competing for the cores) write the same log and the same weights, and runs killed with
 * SIGKILL at several points — before the first checkpoint, mid-way, near the end — and resumed from
 * their last checkpoint end with the same log (no duplicated step) and the same weights as well.
 * With more than one intra-op thread libtorch may split a reduction differently from run to run,
 * which is why the thread count is part of the promise (docs/method.md, "Reproducible training").
 */
class TrainingReproducibilityTest {
  @TempDir Path dir;

  static final int STEPS = 60;

  /** Kill points, in logged steps: before the first checkpoint (step 5), mid-way, near the end. */
  static final int[] KILL_AT = {3, 23, 52};

  @Test
  void sameSeedSameThreadsSameRunAndKilledRunsResumeToIt() throws Exception {
    Path config = config();
    Process a = train(config, "a");
    Process b = train(config, "b");
    // the killed runs start with the reference runs: they share the cores, so the kills land
    // wherever the schedule puts them, and the test takes about two runs' time, not five
    List<Process> killed = new ArrayList<>();
    for (int at : KILL_AT) {
      killed.add(train(config, "k" + at));
    }
    List<ChildJvm.Probe> when = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int at : KILL_AT) {
      Path log = dir.resolve("k" + at + "-run/log.jsonl");
      when.add(() -> ChildJvm.lines(log) >= at);
      logs.add(childLog("k" + at));
      names.add("step " + at);
    }
    ChildJvm.killEachWhen(killed, when, 300, logs, names);
    int[] logged = new int[KILL_AT.length];
    for (int i = 0; i < KILL_AT.length; i++) {
      logged[i] = ChildJvm.lines(dir.resolve("k" + KILL_AT[i] + "-run/log.jsonl"));
      assertTrue(logged[i] < STEPS, "killed mid-run, after " + logged[i] + " steps");
    }
    List<Process> resumed = new ArrayList<>();
    for (int at : KILL_AT) {
      resumed.add(train(config, "k" + at));
    }
    finish(a, "a");
    finish(b, "b");
    assertSameRun("two uninterrupted runs", dir.resolve("a-run"), dir.resolve("b-run"));
    for (int i = 0; i < KILL_AT.length; i++) {
      String name = "k" + KILL_AT[i];
      finish(resumed.get(i), name);
      Matcher m = Pattern.compile("\\(resumed from (\\d+)\\)").matcher(log(name));
      assertTrue(m.find(), log(name));
      int from = Integer.parseInt(m.group(1));
      assertTrue(from % 5 == 0 && from <= logged[i], "resumed from a checkpoint: " + log(name));
      assertTrue(logged[i] < 10 || from > 0, "a checkpoint was there to resume: " + log(name));
      assertSameRun(
          "killed after " + logged[i] + " logged steps and resumed from step " + from,
          dir.resolve("a-run"),
          dir.resolve(name + "-run"));
    }
  }

  /** The log without its wall-clock field, and the final weights' bytes, are identical. */
  static void assertSameRun(String what, Path x, Path y) throws Exception {
    assertEquals(logWithoutTiming(x), logWithoutTiming(y), what + ": log.jsonl");
    assertArrayEquals(
        Files.readAllBytes(x.resolve("final/model.safetensors")),
        Files.readAllBytes(y.resolve("final/model.safetensors")),
        what + ": final weights");
  }

  static List<String> logWithoutTiming(Path run) throws Exception {
    List<String> out = FaultChecks.linesWithout(run.resolve("log.jsonl"), "tokens_per_second");
    assertEquals(STEPS, out.size(), run + ": one line per step");
    return out;
  }

  /** {@code longrope train --config CONFIG --threads 1} in a child JVM, output to {@code name}. */
  Process train(Path config, String name) throws Exception {
    String text = Files.readString(config).replace("RUN", dir.resolve(name + "-run").toString());
    Path own = dir.resolve(name + ".json");
    Files.writeString(own, text);
    return ChildJvm.cli(childLog(name), "train", "--config", own.toString(), "--threads", "1");
  }

  void finish(Process p, String name) throws Exception {
    assertEquals(0, ChildJvm.finish(p, 600, childLog(name)), log(name));
  }

  Path childLog(String name) {
    return dir.resolve(name + ".log");
  }

  String log(String name) throws Exception {
    return ChildJvm.log(childLog(name));
  }

  /** TrainerTest's learnable language and tiny model, checkpoints every 5 steps. */
  Path config() throws Exception {
    SplittableRandom r = new SplittableRandom(5);
    List<int[]> docs = new ArrayList<>();
    for (int d = 0; d < 4; d++) {
      int[] t = new int[400];
      for (int i = 0; i < t.length; i++) {
        t[i] = 3 + (i % 7 == 0 ? r.nextInt(37) : (t[Math.max(0, i - 1)] + 1) % 37);
      }
      docs.add(t);
    }
    Path train = dir.resolve("train");
    Path valid = dir.resolve("valid");
    TokenFile.write(train, new InMemoryDocuments(docs.subList(0, 3)));
    TokenFile.write(valid, new InMemoryDocuments(docs.subList(3, 4)));
    Path f = dir.resolve("config.json");
    Files.writeString(
        f,
        "{\"output\":\"RUN\",\"model\":{\"config\":"
            + TrainerTest.MODEL
            + "},\"data\":{\"train\":[\""
            + train
            + ".bin\"],\"validation\":\""
            + valid
            + ".bin\"},\"context\":32,\"steps\":"
            + STEPS
            + ",\"batch\":2,\"checkpoint_every\":5,\"eval_every\":10,\"eval_sequences\":4,"
            + "\"seed\":3,\"optimizer\":{\"lr\":0.01,\"warmup\":5,\"weight_decay\":0.01}}");
    return f;
  }
}
