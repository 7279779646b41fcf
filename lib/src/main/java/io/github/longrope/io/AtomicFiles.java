package io.github.longrope.io;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  public static void writeString(Path target, String text) {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }
}
