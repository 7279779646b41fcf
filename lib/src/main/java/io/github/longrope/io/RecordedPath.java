package io.github.longrope.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Paths as run records store them: relative to the folder of the record, so that a committed record
 * (or a run folder copied with its inputs) reads the same in every clone, and the spelling of the
 * folder a run was started from never leaks into a file that others check out.
 */
public final class RecordedPath {
  private RecordedPath() {}

  /** {@code path} relative to {@code base} (both made absolute first), with {@code /}. */
  public static String relative(Path base, Path path) {
    Path b = base.toAbsolutePath().normalize();
    Path p = path.toAbsolutePath().normalize();
    String r = b.relativize(p).toString().replace('\\', '/');
    return r.isEmpty() ? "." : r;
  }

  /** A stored path resolved against {@code base}; an absolute one (older records) stays as is. */
  public static Path resolve(Path base, String stored) {
    return base.toAbsolutePath().normalize().resolve(stored).normalize();
  }

  /** Whether two paths name the same existing file or folder (links and {@code ..} resolved). */
  public static boolean sameFile(Path a, Path b) {
    try {
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}
