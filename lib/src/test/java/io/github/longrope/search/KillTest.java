package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.ChildJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9}: a separate JVM runs the search of {@link ResumeTest} with a slow fitness
 * and is killed at several points; resuming in this JVM gives the uninterrupted result.
 */
class KillTest {
  @TempDir Path work;

  /** The search run by the child JVM: args[0] = run directory. */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    Synthetic.Counting f = ResumeTest.fitness();
    Fitness slow =
        c -> {
          long end = System.nanoTime() + 4_000_000L;
          while (System.nanoTime() < end) {
            Thread.onSpinWait();
          }
          return f.evaluate(c);
        };
    ResumeTest.run(dir, false, slow, f);
  }

  @Test
  void killedRunResumesToTheUninterruptedResult() throws Exception {
    ResumeTest.Outcome reference =
        ResumeTest.run(work.resolve("full"), false, null, ResumeTest.fitness());
    for (int lines : new int[] {3, 40, reference.calls() - 5}) {
      Path dir = work.resolve("kill" + lines);
      Path log = work.resolve("child" + lines + ".log");
      Process p = ChildJvm.start(log, KillTest.class.getName(), dir.toString());
      Path history = dir.resolve(RunRecord.HISTORY);
      ChildJvm.killWhen(
          p, () -> ChildJvm.lines(history) >= lines, 120, log, lines + " history lines");
      int kept = RunRecord.readHistory(history).size();
      assertTrue(kept >= lines && kept < reference.calls(), "killed mid-search: " + kept);
      Synthetic.Counting again = ResumeTest.fitness();
      ResumeTest.Outcome resumed = ResumeTest.run(dir, true, null, again);
      ResumeTest.assertSameResult(reference.result(), resumed.result());
      assertEquals(reference.history(), resumed.history());
      assertEquals(reference.calls() - kept, again.calls.get());
    }
  }
}
