package io.github.longrope.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A multi-file output (an exported model directory) that is either complete or absent: it is
 * written into a hidden sibling {@code .NAME.tmp-PID} and renamed into place when every file is
 * there, so a kill leaves the previous directory (or none), never one with weights and no tokenizer
 * that would load and evaluate as if it were whole. Leftover temporaries of processes that are gone
 * are removed by the next write to the same target.
 */
public final class DirectoryOutput {
  private DirectoryOutput() {}

  /** Writes the contents of a directory. */
  @FunctionalInterface
  public interface Writer {
    void write(Path dir) throws IOException;
  }

  /**
   * Writes {@code target} through {@code writer}, replacing a previous directory only once the new
   * one is complete.
   *
   * @param source an input that {@code target} must not be, nor lie inside (after resolving links:
   *     writing there would overwrite what is being read), or null
   */
  public static void write(Path target, Path source, Writer writer) {
    Path out = realTarget(target);
    if (source != null) {
      Path src = realTarget(source);
      if (out.startsWith(src)) {
        throw new IllegalArgumentException(
            "export: --out "
                + target
                + (out.equals(src) ? " is" : " lies inside")
                + " the source model "
                + source
                + (out.equals(target.toAbsolutePath().normalize()) ? "" : " (through a link)")
                + "; choose another folder");
      }
    }
    Path parent = out.getParent();
    String name = out.getFileName().toString();
    long pid = ProcessHandle.current().pid();
    Path tmp = parent.resolve("." + name + ".tmp-" + pid);
    try {
      Files.createDirectories(parent);
      removeStale(parent, name);
      AtomicFiles.deleteTree(tmp);
      Files.createDirectory(tmp);
      writer.write(tmp);
      if (Files.exists(out)) {
        Path old = parent.resolve("." + name + ".old-" + pid);
        AtomicFiles.deleteTree(old);
        Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.deleteTree(old);
      } else {
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      AtomicFiles.deleteTree(tmp);
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      AtomicFiles.deleteTree(tmp);
      throw e;
    }
  }

  /** The real path of {@code p}, or of its nearest existing ancestor with the rest appended. */
  static Path realTarget(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(abs));
    } catch (IOException e) {
      return abs;
    }
  }

  /** Deletes {@code .NAME.tmp-PID} / {@code .NAME.old-PID} left by processes no longer running. */
  private static void removeStale(Path parent, String name) throws IOException {
    List<Path> leftovers;
    try (Stream<Path> s = Files.list(parent)) {
      leftovers =
          s.filter(
                  p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith("." + name + ".tmp-") || n.startsWith("." + name + ".old-");
                  })
              .toList();
    }
    for (Path p : leftovers) {
      String n = p.getFileName().toString();
      try {
        long pid = Long.parseLong(n.substring(n.lastIndexOf('-') + 1));
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue; // another export to the same target is running
        }
      } catch (NumberFormatException e) {
        // not one of ours: leave it
        continue;
      }
      AtomicFiles.deleteTree(p);
    }
  }
}
