package io.github.longrope.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a shared notebook promises its reader, checked without running it: every code cell fits on a
 * screen (at most 15 lines), no call passes a bare {@code null} positionally (settings go through
 * builders and {@code with…} methods, so a cell says what it sets), and every cell has the id
 * nbformat 4.5 requires.
 */
class NotebookShapeTest {
  static final int MAX_LINES = 15;
  static final Pattern NULL_ARGUMENT = Pattern.compile("[(,]\\s*null\\s*[,)]");

  static java.util.stream.Stream<String> notebooks() throws java.io.IOException {
    return NotebookTest.notebooks();
  }

  @ParameterizedTest
  @MethodSource("notebooks")
  void cellsAreShortAndSayWhatTheySet(String notebook) throws Exception {
    Path file = JupyterTools.home().resolve("notebooks").resolve(notebook);
    JsonNode cells = Json.readObject(file).get("cells");
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      JsonNode c = cells.get(i);
      if (!c.hasNonNull("id")) {
        problems.add("cell " + i + " has no id");
      }
      if (!c.get("cell_type").asText().equals("code")) {
        continue;
      }
      StringBuilder source = new StringBuilder();
      c.get("source").forEach(line -> source.append(line.asText()));
      String text = source.toString().strip();
      long lines = text.isEmpty() ? 0 : text.lines().count();
      if (lines > MAX_LINES) {
        problems.add("code cell " + i + " has " + lines + " lines (at most " + MAX_LINES + ")");
      }
      if (NULL_ARGUMENT.matcher(text).find()) {
        problems.add("code cell " + i + " passes a positional null");
      }
    }
    assertTrue(problems.isEmpty(), notebook + ": " + problems);
  }
}
