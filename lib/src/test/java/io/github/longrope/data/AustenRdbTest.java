package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.io.FormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AustenRdbTest {
  @TempDir Path dir;

  static byte[] twoNovels() {
    return Fixtures.concat(
        Fixtures.rdbRecord(Fixtures.xdrStrings(3, "EMMA", null, "Emma Woodhouse, handsome, £5")),
        Fixtures.rdbRecord(Fixtures.xdrStrings(2, "PERSUASION", "L:caf\u00e9", "")));
  }

  @Test
  void readsBackToBackZlibRecordsOfCharacterVectors() {
    List<List<String>> records = AustenRdb.records(twoNovels(), "test.rdb");
    assertEquals(2, records.size());
    assertEquals(List.of("EMMA", "", "Emma Woodhouse, handsome, £5"), records.get(0));
    assertEquals(List.of("PERSUASION", "café", ""), records.get(1), "LATIN1 flag decoded");
    assertEquals("EMMA\n\nEmma Woodhouse, handsome, £5\n", AustenRdb.text(records.get(0)));
  }

  @Test
  void extractionChecksTheTitleLine() throws Exception {
    Path rdb = dir.resolve("usr/lib/R/data/Rdata.rdb");
    Files.createDirectories(rdb.getParent());
    Files.write(rdb, twoNovels());
    assertEquals(
        "PERSUASION\ncafé\n\n",
        Extraction.rLazyLoad("usr/lib/R/data/Rdata.rdb", 1, "PERSUASION").read(dir));
    FormatException e =
        assertThrows(
            FormatException.class,
            () -> Extraction.rLazyLoad("usr/lib/R/data/Rdata.rdb", 1, "EMMA").read(dir));
    assertTrue(e.getMessage().contains("record 1") && e.getMessage().contains("'PERSUASION'"));
    assertThrows(
        FormatException.class,
        () -> Extraction.rLazyLoad("usr/lib/R/data/Rdata.rdb", 2, null).read(dir));
  }

  @Test
  void damageIsReportedWithTheRecord() {
    byte[] good = twoNovels();
    FormatException truncated =
        assertThrows(
            FormatException.class,
            () -> AustenRdb.records(Arrays.copyOf(good, good.length - 6), "t.rdb"));
    assertTrue(
        truncated.getMessage().startsWith("t.rdb: record 1")
            && truncated.getMessage().contains("truncated"),
        truncated.getMessage());

    byte[] notStrings = Fixtures.xdrStrings(3, "x");
    notStrings[2 + 12 + 4 + 5 + 3] = 13; // SEXP type 13: an integer vector
    FormatException type =
        assertThrows(
            FormatException.class,
            () -> AustenRdb.records(Fixtures.rdbRecord(notStrings), "t.rdb"));
    assertTrue(type.getMessage().contains("not a character vector"), type.getMessage());

    byte[] xz = Fixtures.rdbRecord(Fixtures.xdrStrings(3, "x"));
    xz[4] = (byte) 0xFD; // xz magic instead of zlib
    assertTrue(
        assertThrows(FormatException.class, () -> AustenRdb.records(xz, "t.rdb"))
            .getMessage()
            .contains("not a zlib stream"));
  }
}
