package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.io.FormatException;
import io.github.longrope.io.HfTokenizer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDataTest {
  @TempDir Path dir;

  UserData.Result run(String field, Path out, Path... inputs) {
    return UserData.run(
        new UserData.Config(List.of(inputs), field, out, Fixtures.TOKENIZER),
        DatasetBuilder.Listener.SILENT);
  }

  @Test
  void jsonlWithAFieldNameGivesOneDocumentPerLine() throws Exception {
    Path jsonl = dir.resolve("proofpile.jsonl");
    Files.writeString(
        jsonl,
        "{\"meta\": {\"id\": 1}, \"content\": \"Let $x \\\\in \\\\mathbb{R}$.\"}\n"
            + "\n"
            + "{\"content\": \"\"}\n"
            + "{\"content\": \"Theorem 2. Every prime p > 2 is odd.\"}\n");
    UserData.Result r = run("content", dir.resolve("out/pp"), jsonl);
    assertEquals(2, r.documents());
    assertEquals(1, r.skippedEmpty());
    TokenFile f = TokenFile.open(dir.resolve("out/pp.bin"));
    try (HfTokenizer tok = HfTokenizer.load(Fixtures.TOKENIZER)) {
      assertArrayEquals(tok.encode("Let $x \\in \\mathbb{R}$."), f.document(0));
      assertArrayEquals(tok.encode("Theorem 2. Every prime p > 2 is odd."), f.document(1));
    }
    assertEquals(f.totalTokens(), r.tokens());

    FormatException e =
        assertThrows(FormatException.class, () -> run("text", dir.resolve("out/x"), jsonl));
    assertTrue(
        e.getMessage().contains("line 1") && e.getMessage().contains("--field"), e.getMessage());
    assertTrue(!Files.exists(dir.resolve("out/x.bin")), "no partial output");
  }

  @Test
  void foldersOfTextAndGzipAreRead() throws Exception {
    Path books = dir.resolve("pg19");
    Files.createDirectories(books.resolve("test"));
    Files.writeString(books.resolve("test/2.txt"), "Second book.");
    Files.writeString(books.resolve("1.txt"), "First book.");
    Files.writeString(books.resolve("notes.md"), "ignored");
    try (OutputStream gz =
        new GZIPOutputStream(Files.newOutputStream(books.resolve("3.jsonl.gz")))) {
      gz.write(
          "{\"text\": \"Third.\"}\n{\"text\": \"Fourth.\"}\n".getBytes(StandardCharsets.UTF_8));
    }
    UserData.Result r = run(null, dir.resolve("books"), books);
    assertEquals(3, r.files());
    assertEquals(4, r.documents());
    TokenFile f = TokenFile.open(dir.resolve("books"));
    try (HfTokenizer tok = HfTokenizer.load(Fixtures.TOKENIZER)) {
      // sorted paths: 1.txt, 3.jsonl.gz, test/2.txt
      assertEquals("First book.", tok.decode(f.document(0)));
      assertEquals("Fourth.", tok.decode(f.document(2)));
      assertEquals("Second book.", tok.decode(f.document(3)));
    }
  }

  @Test
  void parquetAndUnknownFormsAreRefusedWithAHint() throws Exception {
    Path pq = dir.resolve("train.parquet");
    Files.write(pq, new byte[] {'P', 'A', 'R', '1'});
    assertTrue(
        assertThrows(FormatException.class, () -> UserData.files(List.of(pq)))
            .getMessage()
            .contains("convert it to .jsonl"));
    Path csv = dir.resolve("x.csv");
    Files.writeString(csv, "a,b");
    assertThrows(FormatException.class, () -> UserData.files(List.of(csv)));
    assertThrows(FormatException.class, () -> UserData.files(List.of(dir.resolve("missing.txt"))));
  }
}
