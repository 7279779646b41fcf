package io.github.longrope.eval;

import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A grid's append-only record: one JSON line per finished cell ({@link
 * PerplexityGrid.Cell#toJson}), synced as it is written, because a long cell can take minutes and a
 * kill should lose at most the one running. Lines are never rewritten except to drop a last line
 * cut short by a kill.
 */
final class CellsFile {
  private CellsFile() {}

  /**
   * The cells recorded so far (none when there is no file). A line that does not parse ends the
   * record: it and anything after it are dropped from the file, the lines before are kept verbatim.
   */
  static List<PerplexityGrid.Cell> read(Path file, String defaultDataset) {
    List<PerplexityGrid.Cell> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      List<String> lines = Files.readAllLines(file);
      StringBuilder kept = new StringBuilder();
      for (String line : lines) {
        try {
          out.add(
              PerplexityGrid.Cell.fromJson(
                  Json.parseObject(line, file.toString()), defaultDataset));
        } catch (RuntimeException e) {
          break; // torn last line
        }
        kept.append(line).append('\n');
      }
      if (out.size() < lines.size()) {
        AtomicFiles.writeString(file, kept.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static void append(Path file, PerplexityGrid.Cell cell) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file,
          cell.toJson() + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
