package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.FormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad data files get a message naming the file and the problem: a missing file is "not found" (not
 * "malformed JSON"), invalid UTF-8 says so (not "Input length = 1"), a damaged token index says its
 * header is damaged (not a negative byte count).
 */
class BadDataTest {
  @TempDir Path dir;

  private String error(Path data) {
    return error(data, data);
  }

  private String error(Path data, Path named) {
    FormatException e =
        assertThrows(
            FormatException.class,
            () -> DocumentSources.open(data, DocumentSourcesTest.TOKENIZER, "text").size());
    assertTrue(e.getMessage().startsWith(named.toString()), e.getMessage());
    return e.getMessage();
  }

  @Test
  void missingFilesAreNotFound() {
    for (String name : List.of("ids.json", "docs.jsonl", "book.txt")) {
      assertTrue(error(dir.resolve(name)).contains("not found"), name);
    }
  }

  @Test
  void aMissingCorpusSplitSaysHowToBuildIt() {
    Path split = dir.resolve("corpus/data/eval-books");
    String message = error(split);
    assertTrue(message.contains("not found"), message);
    assertTrue(message.contains("./longrope data prepare corpus"), message);
    assertFalse(error(dir.resolve("mine/eval.bin")).contains("prepare corpus"));
  }

  @Test
  void invalidUtf8IsNamed() throws Exception {
    byte[] bad = {'a', ' ', (byte) 0xC3, (byte) 0x28, '\n'};
    Path txt = Files.write(dir.resolve("book.txt"), bad);
    assertTrue(error(txt).contains("not valid UTF-8"), error(txt));
    Path jsonl = dir.resolve("docs.jsonl");
    Files.writeString(jsonl, "{\"text\": \"fine\"}\n");
    Files.write(
        jsonl,
        new byte[] {'{', '"', 't', (byte) 0xFF, '"', '}', '\n'},
        java.nio.file.StandardOpenOption.APPEND);
    String e = error(jsonl);
    assertTrue(e.contains("not valid UTF-8") && e.contains("line"), e);
  }

  @Test
  void aNegativeDocumentCountIsADamagedHeader() throws Exception {
    ByteBuffer idx = ByteBuffer.allocate(16 + 16).order(ByteOrder.LITTLE_ENDIAN);
    idx.put(TokenFile.MAGIC).putInt(1).putInt(-2147483648).putLong(0).putLong(0);
    Files.write(dir.resolve("t.idx"), idx.array());
    Files.write(dir.resolve("t.bin"), new byte[0]);
    String e = error(dir.resolve("t.bin"), dir.resolve("t.idx"));
    assertTrue(e.contains("negative") && e.contains("damaged"), e);
  }

  @Test
  void atomicWritesAreReadableByOthersAsDirectWritesAre() throws Exception {
    Path f = dir.resolve("out/table.csv");
    AtomicFiles.writeString(f, "a,b\n");
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }
}
