package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch evaluation: results in batch order, independent of the number of workers. */
class EvaluatorTest {
  @TempDir Path work;

  static List<Candidate> batch(int n) {
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Candidate(new double[] {1, 1 + i * 0.01}, 0, 2));
    }
    return out;
  }

  @Test
  void parallelResultsComeBackInBatchOrder() {
    Fitness f =
        c -> {
          try {
            Thread.sleep((long) (Math.random() * 3));
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return c.factor(1);
        };
    List<Candidate> b = batch(40);
    double[] expected = b.stream().mapToDouble(c -> c.factor(1)).toArray();
    List<Integer> reported = new ArrayList<>();
    try (Evaluator ev = Evaluator.parallel(List.of(f, f, f, f))) {
      assertEquals(4, ev.workers());
      assertArrayEquals(expected, ev.evaluate(b, (i, c, v, s) -> reported.add(i)));
    }
    assertEquals(40, reported.size());
    assertEquals(40, reported.stream().distinct().count());
  }

  @Test
  void searchResultDoesNotDependOnTheNumberOfWorkers() {
    SearchConfig c = Synthetic.small("\"start_tokens\": {\"search\": true}");
    List<SearchResult> results = new ArrayList<>();
    List<List<String>> histories = new ArrayList<>();
    for (int workers : new int[] {1, 3}) {
      List<Fitness> fs = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        fs.add(new Synthetic.Counting(Synthetic.target(16, 8), 9, 8, 300_000));
      }
      Path dir = work.resolve("w" + workers);
      try (Evaluator ev = Evaluator.parallel(fs);
          RunRecord rec = RunRecord.open(dir, ResumeTest.resolved(c), false)) {
        results.add(new EvolutionSearch(c, Synthetic.problem(c, 16, 8)).run(ev, rec, null));
      }
      histories.add(ResumeTest.lines(dir));
    }
    ResumeTest.assertSameResult(results.get(0), results.get(1));
    assertEquals(histories.get(0), histories.get(1));
  }

  @Test
  void interruptLetsRunningCandidatesFinishAndReportsThem() throws Exception {
    CountDownLatch started = new CountDownLatch(2);
    AtomicInteger finished = new AtomicInteger();
    Fitness slow =
        c -> {
          started.countDown();
          long end = System.nanoTime() + 100_000_000L;
          while (System.nanoTime() < end) {
            Thread.onSpinWait();
          }
          finished.incrementAndGet();
          return 1;
        };
    List<Integer> reported = new ArrayList<>();
    Thread caller = Thread.currentThread();
    Thread interrupter =
        new Thread(
            () -> {
              try {
                started.await();
              } catch (InterruptedException e) {
                return;
              }
              caller.interrupt();
            });
    try (Evaluator ev = Evaluator.parallel(List.of(slow, slow))) {
      interrupter.start();
      assertThrows(
          CancellationException.class,
          () -> ev.evaluate(batch(20), (i, c, v, s) -> reported.add(i)));
    }
    interrupter.join();
    assertTrue(!Thread.currentThread().isInterrupted());
    assertEquals(finished.get(), reported.size(), "every finished candidate was reported");
    assertTrue(reported.size() >= 2 && reported.size() < 20, "stopped early: " + reported.size());
  }

  @Test
  void aFailingFitnessStopsTheBatchWithItsError() {
    Fitness bad =
        c -> {
          if (c.factor(1) > 1.05) {
            throw new IllegalStateException("boom");
          }
          return 1;
        };
    try (Evaluator ev = Evaluator.parallel(List.of(bad, bad))) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> ev.evaluate(batch(20)));
      assertEquals("boom", e.getMessage());
    }
  }

  @Test
  void nonFiniteFitnessRanksWorst() {
    try (Evaluator ev = Evaluator.sequential(c -> Double.NaN)) {
      assertEquals(Double.POSITIVE_INFINITY, ev.evaluate(batch(1))[0]);
    }
  }
}
