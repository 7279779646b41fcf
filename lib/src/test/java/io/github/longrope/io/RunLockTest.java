package io.github.longrope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run per directory: a second holder is refused with the first one's PID, in this JVM and from
 * another process; a lock left by a process killed with -9 is taken over, with a note.
 */
class RunLockTest {
  @TempDir Path dir;

  /** Child JVM: holds the lock of args[0] until killed (bounded to 2 minutes). */
  public static void main(String[] args) throws Exception {
    try (RunLock lock = RunLock.acquire(Path.of(args[0]), s -> {})) {
      System.out.println("locked " + lock.file());
      System.out.flush();
      Thread.sleep(120_000);
    }
  }

  @Test
  void aSecondHolderInThisJvmIsRefusedAndTheLockIsFreeAfterClose() {
    List<String> notes = new ArrayList<>();
    try (RunLock first = RunLock.acquire(dir, notes::add)) {
      assertTrue(Files.exists(first.file()));
      RunLock.InUse busy =
          assertThrows(RunLock.InUse.class, () -> RunLock.acquire(dir, notes::add));
      assertTrue(
          busy.getMessage().contains("process " + ProcessHandle.current().pid()),
          busy.getMessage());
    }
    try (RunLock again = RunLock.acquire(dir, notes::add)) {
      assertTrue(Files.exists(again.file()));
      assertEquals(List.of(), notes); // our own PID in the file: nothing taken over
    }
  }

  @Test
  void anotherProcessHoldsItUntilKilledThenItIsTakenOver() throws Exception {
    Path log = dir.resolve("child.log");
    Path run = dir.resolve("run");
    Process child = ChildJvm.start(log, getClass().getName(), "" + run);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!ChildJvm.log(log).contains("locked")
          && child.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(Files.readString(log).contains("locked"), Files.readString(log));
      RunLock.InUse busy = assertThrows(RunLock.InUse.class, () -> RunLock.acquire(run, s -> {}));
      assertTrue(busy.getMessage().contains("process " + child.pid()), busy.getMessage());
    } finally {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    List<String> notes = new ArrayList<>();
    try (RunLock taken = RunLock.acquire(run, notes::add)) {
      assertEquals(String.valueOf(ProcessHandle.current().pid()), Files.readString(taken.file()));
      assertEquals(1, notes.size(), "" + notes);
      assertTrue(notes.get(0).contains("process " + child.pid()), notes.get(0));
    }
  }
}
