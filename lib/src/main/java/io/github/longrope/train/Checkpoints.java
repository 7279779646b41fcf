package io.github.longrope.train;

import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The checkpoints of a run: {@code checkpoints/step-NNNNNNN/} directories, each complete or absent.
 * A checkpoint is written into {@code .step-NNNNNNN.tmp/} and renamed into place atomically, so a
 * kill at any instant leaves the previous checkpoints intact and at worst a stray temporary
 * directory, which is ignored and removed on the next write.
 */
final class Checkpoints {
  static final String STATE = "state.json";
  private final Path dir;

  Checkpoints(Path runDir) {
    this.dir = runDir.resolve("checkpoints");
  }

  /** The newest complete checkpoint. */
  Optional<Path> latest() {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    return list().stream().filter(p -> Files.isRegularFile(p.resolve(STATE))).reduce((a, b) -> b);
  }

  /** Complete checkpoints, oldest first. */
  List<Path> list() {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("step-"))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a checkpoint for {@code step} with {@code writer} filling the directory; keeps the
   * newest {@code keep}.
   */
  Path save(long step, Object state, Consumer<Path> writer, int keep) {
    Path target = dir.resolve(String.format("step-%07d", step));
    Path tmp = dir.resolve(String.format(".step-%07d.tmp", step));
    try {
      Files.createDirectories(dir);
      AtomicFiles.deleteTree(tmp);
      Files.createDirectories(tmp);
      writer.accept(tmp);
      AtomicFiles.writeString(tmp.resolve(STATE), Json.write(state));
      AtomicFiles.deleteTree(target);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      List<Path> all = list();
      for (int i = 0; i < all.size() - keep; i++) {
        AtomicFiles.deleteTree(all.get(i));
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write checkpoint " + target + ": " + e.getMessage(), e);
    }
  }
}
