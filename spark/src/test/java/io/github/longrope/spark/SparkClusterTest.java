package io.github.longrope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.search.RunRecord;
import io.github.longrope.search.run.SearchEngine;
import io.github.longrope.search.run.SearchJob;
import io.github.longrope.search.run.SearchSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on 127.0.0.1: a master and two one-core workers, each its own JVM. The
 * tiny search runs through {@code spark://127.0.0.1:PORT}; one worker is killed with SIGKILL (with
 * its executor) in the middle of the first generation, and the search still finishes with the local
 * evaluator's result, every candidate in {@code history.jsonl} exactly once. Then a driver (the
 * CLI, its own JVM) is killed mid-run and the search resumed to the same result. Every process is
 * stopped in {@link #stopCluster}.
 */
class SparkClusterTest {
  @TempDir static Path work;
  static StandaloneCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = StandaloneCluster.start(2, 1, work.resolve("cluster"));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static SearchEngine engine() {
    return SearchEngine.of("spark", cluster.url(), cluster.executorConf());
  }

  static int lines(Path history) throws Exception {
    return Files.exists(history) ? Files.readAllLines(history).size() : 0;
  }

  static void waitForLines(Path history, int n, Future<?> orProcessAlive, Process p)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (lines(history) < n) {
      assertTrue(System.nanoTime() < deadline, "no progress: " + lines(history) + " lines");
      if (orProcessAlive != null && orProcessAlive.isDone()) {
        orProcessAlive.get(); // rethrows the search's failure
        return;
      }
      if (p != null && !p.isAlive()) {
        return;
      }
      Thread.sleep(20);
    }
  }

  /** Every candidate once, and the same set as the local run. */
  static void assertEachOnce(TinySearch.Reference ref, Path run) {
    List<String> h = TinySearch.history(run);
    assertEquals(h.size(), new HashSet<>(h).size(), "a candidate recorded twice: " + h);
    assertEquals(TinySearch.history(ref.run()), h);
  }

  @Test
  void aLostWorkerAndAKilledDriverChangeNothing() throws Exception {
    TinySearch.Reference ref = TinySearch.reference();
    SearchSpec spec = TinySearch.spec(work.resolve("data"));

    // 1. a worker (and its executor) killed with SIGKILL while the first generation runs
    Path run = work.resolve("lost-worker");
    ExecutorService driver = Executors.newSingleThreadExecutor();
    try {
      Future<SearchJob.Outcome> search =
          driver.submit(() -> TinySearch.run(spec, run, false, engine()));
      waitForLines(run.resolve(RunRecord.HISTORY), 1, search, null);
      assertTrue(!search.isDone(), "the search ended before a worker could be killed");
      int before = lines(run.resolve(RunRecord.HISTORY));
      cluster.killWorker(0);
      assertTrue(!cluster.workers().get(0).isAlive());
      SearchJob.Outcome o = search.get(300, TimeUnit.SECONDS);
      assertTrue(
          before < ref.outcome().result().evaluations(), "killed during the search: " + before);
      TinySearch.assertSameResult(ref.run(), ref.outcome().result(), run, o.result());
      assertEachOnce(ref, run);
    } finally {
      driver.shutdownNow();
    }

    // 2. the driver (the CLI in its own JVM) killed mid-run, then resumed here
    Path killed = work.resolve("killed-driver");
    List<String> args =
        new ArrayList<>(
            List.of(
                "io.github.longrope.cli.Main",
                "search",
                "--model",
                spec.model().toString(),
                "--data",
                spec.data().toString(),
                "--target-length",
                Integer.toString(spec.targetLength()),
                "--samples",
                "1",
                "--config",
                work.resolve("data/config.json").toString(),
                "--threads",
                "1",
                "--run",
                killed.toString(),
                "--engine",
                "spark",
                "--master",
                cluster.url()));
    for (String c : cluster.executorConf()) {
      args.add("--spark-conf");
      args.add(c);
    }
    Files.writeString(work.resolve("data/config.json"), spec.search().toJson().toString());
    Process p = StandaloneCluster.java(work, "driver", "1g", args);
    try {
      waitForLines(killed.resolve(RunRecord.HISTORY), 2, null, p);
      assertTrue(
          p.isAlive(), "the driver ended early: " + Files.readString(work.resolve("driver.log")));
    } finally {
      StandaloneCluster.kill(p);
    }
    int kept = RunRecord.readHistory(killed.resolve(RunRecord.HISTORY)).size();
    assertTrue(kept >= 2 && kept < ref.outcome().result().evaluations(), "kept " + kept);
    SearchJob.Outcome resumed = TinySearch.run(spec, killed, true, engine());
    assertEquals(ref.outcome().result().evaluations() - kept, resumed.result().evaluatedNow());
    TinySearch.assertSameResult(ref.run(), ref.outcome().result(), killed, resumed.result());
    assertEachOnce(ref, killed);
  }
}
