package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileWriterTest {
  @TempDir Path dir;

  @Test
  void streamsTheSameBytesAsTokenFileWrite() throws Exception {
    List<int[]> docs = new ArrayList<>();
    for (int d = 0; d < 3000; d++) { // more documents than the initial offset array holds
      docs.add(new int[] {d, d + 1, 31_999}.clone());
    }
    docs.add(new int[0]);
    TokenFile.write(dir.resolve("a"), new InMemoryDocuments(docs));
    try (TokenFileWriter w = new TokenFileWriter(dir.resolve("b.bin"))) {
      docs.forEach(w::add);
      assertEquals(3001, w.documents());
      assertEquals(9000, w.tokens());
      w.commit();
    }
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a.bin")), Files.readAllBytes(dir.resolve("b.bin")));
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a.idx")), Files.readAllBytes(dir.resolve("b.idx")));
    assertArrayEquals(new int[] {7, 8, 31_999}, TokenFile.open(dir.resolve("b")).document(7));
  }

  @Test
  void closingWithoutCommitLeavesNothing() throws Exception {
    try (TokenFileWriter w = new TokenFileWriter(dir.resolve("c"))) {
      w.add(new int[] {1, 2});
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(), s.toList());
    }
    assertFalse(Files.exists(dir.resolve("c.idx")));
  }
}
