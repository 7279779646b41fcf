package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
  @TempDir Path datasets;

  @Test
  void presentSplitsAreNotRebuilt() throws Exception {
    Path data = Corpus.dataDir(datasets);
    assertEquals(datasets.resolve("corpus/data"), data);
    assertEquals(
        List.of("search", "eval-books"), Corpus.missing(datasets, List.of("search", "eval-books")));
    Files.createDirectories(data);
    for (String f : List.of("search.bin", "search.idx", "eval-books.bin")) {
      Files.writeString(data.resolve(f), "");
    }
    assertEquals(List.of("eval-books"), Corpus.missing(datasets, List.of("search", "eval-books")));
    Files.writeString(data.resolve("eval-books.idx"), "");
    List<String> messages = new ArrayList<>();
    DatasetBuilder.Listener listener =
        new DatasetBuilder.Listener() {
          @Override
          public void message(String text) {
            messages.add(text);
          }

          @Override
          public void progress(String task, long done, long total) {}
        };
    assertEquals(data, Corpus.ensure(datasets, List.of("search", "eval-books"), listener));
    assertTrue(messages.isEmpty(), "nothing to build: " + messages);
  }

  @Test
  void unknownSplitsAreNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Corpus.missing(datasets, List.of("books")));
    assertTrue(
        e.getMessage().contains("'books'") && e.getMessage().contains("eval-books"),
        e.getMessage());
  }
}
