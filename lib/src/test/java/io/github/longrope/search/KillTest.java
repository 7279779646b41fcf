package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int lines : new int[] {3, 40, reference.calls() - 5}) {
      Path dir = work.resolve("kill" + lines);
      Process p =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  KillTest.class.getName(),
                  dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("child" + lines + ".log").toFile())
              .start();
      Path history = dir.resolve(RunRecord.HISTORY);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (p.isAlive() && System.nanoTime() < deadline) {
        if (Files.exists(history) && Files.readAllLines(history).size() >= lines) {
          break;
        }
        Thread.sleep(1);
      }
      assertTrue(
          p.isAlive(),
          "the child should still be searching: "
              + Files.readString(work.resolve("child" + lines + ".log")));
      p.destroyForcibly(); // SIGKILL
      p.waitFor();
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
