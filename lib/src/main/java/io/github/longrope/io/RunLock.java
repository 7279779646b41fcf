package io.github.longrope.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * One process at a time in a run directory. Two searches appending to one {@code history.jsonl}, or
 * two trainers writing one checkpoint folder, corrupt the run silently; so every long run holds an
 * exclusive OS lock on {@code RUN/.lock} for as long as it runs, and a second process (or a second
 * run in the same JVM, a notebook cell started twice) is refused with the holder's PID.
 *
 * <p>The lock is the operating system's, so it dies with its process: a run killed with {@code kill
 * -9} leaves a {@code .lock} file whose lock is free, and the next run takes it over (saying whose
 * it was). The file holds the PID of the last holder, for that message only.
 */
public final class RunLock implements AutoCloseable {
  /** The lock file inside a run directory. */
  public static final String FILE = ".lock";

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dir} (created if missing).
   *
   * @param notes receives a line when a lock left by a dead process is taken over
   * @throws InUse naming the holder's PID when another run holds it
   */
  public static RunLock acquire(Path dir, Consumer<String> notes) {
    Path file = dir.resolve(FILE);
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      String previous = read(channel);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this very JVM
      }
      if (lock == null) {
        channel.close();
        throw new InUse(
            "run directory "
                + dir
                + " is in use by "
                + (previous.isEmpty() ? "another process" : "process " + previous)
                + "; wait for it to finish or stop it, then resume");
      }
      long self = ProcessHandle.current().pid();
      if (!previous.isEmpty() && !previous.equals(String.valueOf(self))) {
        notes.accept(
            "run directory "
                + dir
                + ": taking over the lock left by process "
                + previous
                + ", which is no longer running");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(String.valueOf(self).getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return new RunLock(file, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + file + ": " + e, e);
    }
  }

  /**
   * Another run holds the directory. An {@link IllegalArgumentException}, since the CLI reports
   * those as a one-line error with exit status 2: the user named a directory that is busy.
   */
  public static final class InUse extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InUse(String message) {
      super(message);
    }
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(32);
    int n = channel.read(b, 0);
    return n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).strip();
  }

  private static void closeQuietly(FileChannel c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (IOException ignored) {
      // the original failure is the one to report
    }
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  /** Releases the lock (the file stays, holding this process's PID). */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    } finally {
      closeQuietly(channel);
    }
  }
}
