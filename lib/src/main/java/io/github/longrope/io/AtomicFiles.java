package io.github.longrope.io;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes that never leave a half-written file: the bytes go to a temporary file in the same
 * directory, are forced to disk, and the temporary file is renamed over the target atomically. A
 * crash leaves either the old file or the new one (plus, at worst, a stray {@code .tmp} file).
 *
 * <p>Writes go through a stream, not an NIO channel: an interrupt (a notebook cancelling a search
 * or a training run) must not close the file mid-write; the caller sees it at its next check.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path target, byte[] bytes) {
    Path dir = target.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      try {
        try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
          out.write(bytes);
          out.getFD().sync();
        }
        readableByAll(tmp);
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Temporary files are created owner-only (0600); the file they become is an ordinary output (a
   * model export, a table) that others on the machine may read, as one written directly would.
   */
  private static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its default permissions apply
    }
  }

  public static void writeString(Path target, String text) {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Deletes a folder tree (or a file) if it exists. Folders extracted from packages may be
   * read-only, which would make their entries undeletable, so they are made writable first.
   */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
      for (Path p : all) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          p.toFile().setWritable(true, true);
        }
      }
      for (Path p : all) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }
}
