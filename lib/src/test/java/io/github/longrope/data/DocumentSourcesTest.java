package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.io.FormatException;
import io.github.longrope.io.HfTokenizer;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentSourcesTest {
  @TempDir Path dir;

  static Path tokenizerDir() {
    try {
      return Path.of(DocumentSourcesTest.class.getResource("/tokenizer/tokenizer.json").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static final Supplier<HfTokenizer> TOKENIZER = () -> HfTokenizer.load(tokenizerDir());

  @Test
  void tokenFilesRoundTripAndAreValidated() throws Exception {
    Documents docs =
        new InMemoryDocuments(List.of(new int[] {5, 6, 7}, new int[0], new int[] {1, 2, 3, 4}));
    Path prefix = dir.resolve("books");
    TokenFile.write(prefix, docs);
    TokenFile read = TokenFile.open(dir.resolve("books.bin"));
    assertEquals(3, read.size());
    assertEquals(7, read.totalTokens());
    assertArrayEquals(new int[] {1, 2, 3, 4}, read.document(2));
    assertEquals(0, read.length(1));
    assertEquals(28, Files.size(dir.resolve("books.bin")), "int32 little-endian, no BOS");

    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("books.bin").toFile(), "rw")) {
      f.setLength(24); // truncated data
    }
    FormatException e = assertThrows(FormatException.class, () -> TokenFile.open(prefix));
    assertTrue(
        e.getMessage().contains("books.idx") && e.getMessage().contains("(6)"), e.getMessage());
    Files.writeString(dir.resolve("junk.idx"), "not an index at all");
    Files.writeString(dir.resolve("junk.bin"), "");
    assertTrue(
        assertThrows(FormatException.class, () -> TokenFile.open(dir.resolve("junk")))
            .getMessage()
            .contains("magic"));
  }

  @Test
  void jsonIdsAsOneDocumentOrMany() throws Exception {
    Files.writeString(dir.resolve("one.json"), "[1, 2, 3]");
    Files.writeString(dir.resolve("many.json"), "[[1, 2], [3]]");
    assertArrayEquals(
        new int[] {1, 2, 3},
        DocumentSources.open(dir.resolve("one.json"), TOKENIZER, null).document(0));
    assertEquals(2, DocumentSources.open(dir.resolve("many.json"), TOKENIZER, null).size());
    Files.writeString(dir.resolve("bad.json"), "[1, -2]");
    FormatException e =
        assertThrows(
            FormatException.class,
            () -> DocumentSources.open(dir.resolve("bad.json"), TOKENIZER, null));
    assertTrue(e.getMessage().contains("item 1"), e.getMessage());
  }

  @Test
  void textIsTokenizedWithoutSpecialTokensOrTruncation() throws Exception {
    String text = "The grass is green . ".repeat(300); // 1500 tokens: beyond DJL's default 512 cap
    Files.writeString(dir.resolve("a.txt"), text);
    Documents one = DocumentSources.open(dir.resolve("a.txt"), TOKENIZER, null);
    assertEquals(1500, one.length(0));
    assertEquals(3, one.document(0)[0], "no BOS added");
    Files.writeString(
        dir.resolve("d.jsonl"),
        "{\"text\": \"the sky is blue\"}\n\n{\"body\": \"x\", \"text\": \"here we go\"}\n");
    Documents lines = DocumentSources.open(dir.resolve("d.jsonl"), TOKENIZER, "text");
    assertArrayEquals(new int[] {3, 8, 5, 9}, lines.document(0));
    assertEquals(2, lines.size());
    FormatException e =
        assertThrows(
            FormatException.class,
            () -> DocumentSources.open(dir.resolve("d.jsonl"), TOKENIZER, "content"));
    assertTrue(
        e.getMessage().contains("line 1") && e.getMessage().contains("'content'"), e.getMessage());
    Path books = Files.createDirectory(dir.resolve("books"));
    Files.writeString(books.resolve("1.txt"), "we go");
    Files.writeString(books.resolve("2.txt"), "there and back again");
    assertEquals(2, DocumentSources.open(books, TOKENIZER, null).size());
  }
}
