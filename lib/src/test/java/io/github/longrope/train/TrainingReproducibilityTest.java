package io.github.longrope.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.InMemoryDocuments;
import io.github.longrope.data.TokenFile;
import io.github.longrope.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training is reproducible bit for bit on CPU for a fixed seed and {@code --threads 1}, end to end
 * through the CLI in separate JVMs: two uninterrupted runs started together (different memory
 * layouts, competing for the cores) write the same log and the same weights, and a run killed with
 * SIGKILL mid-way and resumed from its checkpoint ends with the same log and weights as well. With
 * more than one intra-op thread libtorch may split a reduction differently from run to run, which
 * is why the thread count is part of the promise (docs/method.md, "Reproducible training").
 */
class TrainingReproducibilityTest {
  @TempDir Path dir;

  static final int STEPS = 60;

  @Test
  void sameSeedSameThreadsSameRunAndAKilledRunResumesToIt() throws Exception {
    Path config = config();
    Process a = train(config, "a");
    Process b = train(config, "b");
    finish(a, "a");
    finish(b, "b");
    assertSameRun("two uninterrupted runs", dir.resolve("a-run"), dir.resolve("b-run"));

    Process killed = train(config, "k");
    Path log = dir.resolve("k-run/log.jsonl");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (killed.isAlive() && System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readAllLines(log).size() >= 12) {
        break;
      }
      Thread.sleep(1);
    }
    assertTrue(killed.isAlive(), "the run should still be training: " + childLog("k"));
    killed.destroyForcibly(); // SIGKILL
    killed.waitFor();
    int lines = Files.readAllLines(log).size();
    assertTrue(lines < STEPS, "killed mid-run, after " + lines + " steps");
    finish(train(config, "k"), "k");
    String resumed = childLog("k");
    assertTrue(resumed.contains("resumed from") && !resumed.contains("(resumed from 0)"), resumed);
    assertSameRun(
        "killed at step " + lines + " and resumed", dir.resolve("a-run"), log.getParent());
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
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("log.jsonl"))) {
      ObjectNode o = Json.parseObject(line, run + "/log.jsonl");
      o.remove("tokens_per_second");
      out.add(o.toString());
    }
    assertEquals(STEPS, out.size(), run + ": one line per step");
    return out;
  }

  /** {@code longrope train --config CONFIG --threads 1} in a child JVM, output to {@code name}. */
  Process train(Path config, String name) throws Exception {
    String text = Files.readString(config).replace("RUN", dir.resolve(name + "-run").toString());
    Path own = dir.resolve(name + ".json");
    Files.writeString(own, text);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Dai.djl.offline=true",
            "-cp",
            System.getProperty("java.class.path"),
            "io.github.longrope.cli.Main",
            "train",
            "--config",
            own.toString(),
            "--threads",
            "1")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()))
        .start();
  }

  void finish(Process p, String name) throws Exception {
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), name + " did not finish: " + childLog(name));
    assertEquals(0, p.exitValue(), childLog(name));
  }

  String childLog(String name) throws Exception {
    return Files.readString(dir.resolve(name + ".log"));
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
