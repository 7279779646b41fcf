package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.data.Recipe.Part;
import io.github.longrope.data.Recipe.Portion;
import io.github.longrope.data.Recipe.Split;
import io.github.longrope.data.Recipe.Text;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetBuilderTest {
  @TempDir Path dir;
  Path pkgs;

  static final String RDB = "usr/lib/R/site-library/novels/data/Rdata.rdb";
  static final String ZTEXT = "usr/share/sword/modules/texts/ztext/test";
  static final String DOCS = "usr/share/doc/tech";

  /** Varied prose, so that different texts never tokenize alike. */
  static String[] prose(String title, int lines) {
    String[] out = new String[lines + 1];
    out[0] = title;
    for (int i = 1; i <= lines; i++) {
      out[i] =
          title.toLowerCase()
              + " line "
              + i
              + ": the "
              + (i % 3 == 0 ? "quick" : "slow")
              + " fox saw "
              + (i * 7919 % 1000)
              + " hens.";
    }
    return out;
  }

  @BeforeEach
  void packages() throws Exception {
    pkgs = dir.resolve("pkgs");
    Path rdb = pkgs.resolve("novels").resolve(RDB);
    Files.createDirectories(rdb.getParent());
    Files.write(
        rdb,
        Fixtures.concat(
            Fixtures.rdbRecord(Fixtures.xdrStrings(3, prose("BOOK ONE", 60))),
            Fixtures.rdbRecord(Fixtures.xdrStrings(3, prose("BOOK TWO", 40))),
            Fixtures.rdbRecord(Fixtures.xdrStrings(3, prose("BOOK THREE", 30)))));
    Path module = pkgs.resolve("bible").resolve(ZTEXT);
    Fixtures.writeZText(
        module,
        "ot",
        "<div type=\"book\"/><title>Genesis</title><w>In</w> the beginning God created.",
        "<div type=\"book\"/><title>Exodus</title>Now these are the names of the sons.");
    Fixtures.writeZText(
        module, "nt", "<div type=\"book\"/><title>Matthew</title>The book of the genealogy.");
    Path docs = pkgs.resolve("tech").resolve(DOCS);
    Files.createDirectories(docs.resolve("library"));
    Files.createDirectories(docs.resolve("tutorial"));
    Files.writeString(docs.resolve("tutorial/b.rst.txt"), "Tutorial\n========\n\nUse ``x``.");
    Files.writeString(docs.resolve("a.rst.txt"), "About these documents.\n");
    Files.writeString(docs.resolve("library/os.rst.txt"), ":mod:`os` --- OS interfaces\n");
    Files.writeString(docs.resolve("ignored.html"), "<p>not reST</p>");
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(docs.resolve("j.txt.gz")))) {
      gz.write("hacker n. one who enjoys exploring systems\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  static DebianPackage stub(Path pkgs, String name) {
    return new DebianPackage(name, "1.0-test", pkgs.resolve(name + ".deb"), pkgs.resolve(name));
  }

  /** A small recipe shaped like the corpus; pins measured here, or given. */
  Recipe recipe(List<String> pins) {
    List<Text> texts =
        List.of(
            text("novel_one", "novels", Extraction.rLazyLoad(RDB, 0, "BOOK ONE")),
            text("novel_two", "novels", Extraction.rLazyLoad(RDB, 1, "BOOK TWO")),
            text("novel_three", "novels", Extraction.rLazyLoad(RDB, 2, "BOOK THREE")),
            text("bible_ot", "bible", Extraction.sword(ZTEXT, "ot")),
            text("bible_nt", "bible", Extraction.sword(ZTEXT, "nt")),
            text("guides", "tech", Extraction.tree(DOCS, ".rst.txt", true, "library/")),
            text("library", "tech", Extraction.tree(DOCS + "/library", ".rst.txt", true)),
            text("jargon", "tech", Extraction.gzip(DOCS + "/j.txt.gz")));
    List<Text> pinned = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      Text t = texts.get(i);
      String pin =
          pins != null
              ? pins.get(i)
              : Hashes.sha256(t.extraction().read(pkgs.resolve(t.debianPackage())));
      pinned.add(
          new Text(
              t.id(), t.title(), t.debianPackage(), t.license(), t.extraction(), List.of(pin)));
    }
    return new Recipe(
        "mini",
        "A test corpus.",
        pinned,
        List.of(
            new Split("train", "training", parts(Portion.HEAD, "novel_one", "bible_ot", "guides")),
            new Split(
                "valid", "held-out ends", parts(Portion.TAIL, "novel_one", "bible_ot", "guides")),
            new Split("search", "search", parts(Portion.WHOLE, "novel_two", "bible_nt")),
            new Split(
                "eval", "evaluation", parts(Portion.WHOLE, "novel_three", "library", "jargon"))),
        0.05);
  }

  static Text text(String id, String pkg, Extraction e) {
    return new Text(id, "Title of " + id, pkg, "public domain", e, List.of());
  }

  static List<Part> parts(Portion p, String... ids) {
    return java.util.Arrays.stream(ids).map(id -> new Part(id, p)).toList();
  }

  DatasetBuilder.Result build(Recipe r, Path out) {
    return DatasetBuilder.run(
        new DatasetBuilder.Config(r, out, dir.resolve("cache/text"), Fixtures.TOKENIZER, true),
        name -> stub(pkgs, name),
        DatasetBuilder.Listener.SILENT);
  }

  /** The data prepare report: splits keyed by name, texts with their package and hash. */
  @Test
  void reportKeysSplitsByName() {
    DatasetReport r = DatasetReport.of(build(recipe(null), dir.resolve("datasets/mini")));
    JsonNode o = Json.MAPPER.valueToTree(r);
    assertEquals(
        List.of(
            "dataset",
            "dir",
            "tokenizer_sha256",
            "tokens",
            "packages",
            "splits",
            "texts",
            "seconds"),
        fieldNames(o));
    assertEquals("mini", o.get("dataset").asText());
    assertEquals(dir.resolve("datasets/mini").toString(), o.get("dir").asText());
    assertEquals(List.of("train", "valid", "search", "eval"), fieldNames(o.get("splits")));
    assertTrue(o.at("/splits/valid/file").asText().endsWith("data/valid.bin"));
    assertEquals(3, o.at("/splits/train/documents").asInt());
    assertEquals("novels", o.at("/texts/0/package").asText());
    assertEquals("1.0-test", o.at("/packages/0/version").asText());
    assertEquals(List.of("fetch", "extract", "tokenize", "write"), fieldNames(o.get("seconds")));
    assertTrue(r.text().startsWith("dataset mini in "), r.text());
  }

  static List<String> fieldNames(JsonNode o) {
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void buildsDisjointSplitsWithReadmeAndManifest() throws Exception {
    Recipe r = recipe(null);
    Path out = dir.resolve("datasets/mini");
    DatasetBuilder.Result result = build(r, out);

    assertEquals(List.of("train", "valid", "search", "eval"), names(result));
    Set<String> contents = new HashSet<>();
    int documents = 0;
    try (HfTokenizer tok = HfTokenizer.load(Fixtures.TOKENIZER)) {
      for (DatasetBuilder.SplitResult s : result.splits()) {
        TokenFile f = TokenFile.open(out.resolve("data/" + s.split().name() + ".bin"));
        assertEquals(s.split().parts().size(), f.size());
        for (int i = 0; i < f.size(); i++) {
          contents.add(Hashes.sha256(f.document(i)));
          documents++;
        }
      }
      assertEquals(documents, contents.size(), "no document appears twice (by content hash)");

      // train + valid of a text are exactly its tokens, in order, with no BOS
      TokenFile train = TokenFile.open(out.resolve("data/train"));
      TokenFile valid = TokenFile.open(out.resolve("data/valid"));
      String novel = Files.readString(dir.resolve("cache/text/novel_one.txt"));
      assertTrue(novel.startsWith("BOOK ONE\nbook one line 1: the slow fox"), novel);
      int[] whole = tok.encode(novel);
      assertArrayEquals(
          whole,
          IntStream.concat(IntStream.of(train.document(0)), IntStream.of(valid.document(0)))
              .toArray());
      assertEquals(whole.length - (int) Math.floor(whole.length * (1 - 0.05)), valid.length(0));
      assertFalse(whole[0] == 1, "no BOS stored");
      assertEquals(
          "Genesis\nIn the beginning God created.\nExodus\nNow these are the names of the sons.\n",
          Files.readString(dir.resolve("cache/text/bible_ot.txt")));
      assertEquals(
          "About these documents.\nTutorial\n========\n\nUse ``x``.\n",
          Files.readString(dir.resolve("cache/text/guides.txt")),
          "sorted paths, library/ excluded, final newline added");
    }

    String readme = Files.readString(out.resolve("README.md"));
    for (DatasetBuilder.TextResult t : result.texts()) {
      assertTrue(readme.contains(t.sha256()), "README pins " + t.text().id());
    }
    assertTrue(readme.contains("| `train` | training | 3 |"), readme);
    assertTrue(readme.contains("| novels | 1.0-test | public domain |"), readme);
    assertTrue(readme.contains("./longrope data prepare mini"), readme);
    JsonNode manifest = Json.readObject(out.resolve("data/manifest.json"));
    assertEquals("novel_one", manifest.at("/splits/valid/documents/0/text").asText());
    assertEquals("tail", manifest.at("/splits/valid/documents/0/portion").asText());

    // reproducible: a second build writes the same bytes
    byte[] bin = Files.readAllBytes(out.resolve("data/eval.bin"));
    build(r, out);
    assertArrayEquals(bin, Files.readAllBytes(out.resolve("data/eval.bin")));
    assertEquals(readme, Files.readString(out.resolve("README.md")));
  }

  @Test
  void aTextThatDoesNotMatchItsPinFailsNamingTextAndHashes() {
    Recipe good = recipe(null);
    List<String> pins = new ArrayList<>();
    for (Text t : good.texts()) {
      pins.add(t.sha256().get(0));
    }
    String actual = pins.get(4);
    String wrong = "0".repeat(64);
    pins.set(4, wrong);
    Path out = dir.resolve("datasets/mini");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> build(recipe(pins), out));
    assertTrue(e.getMessage().contains("bible_nt (bible 1.0-test"), e.getMessage());
    assertTrue(e.getMessage().contains("expected " + wrong + ", got " + actual), e.getMessage());
    assertFalse(Files.exists(out.resolve("data")), "nothing written");
  }

  @Test
  void identicalContentInTwoSplitsIsRefused() throws Exception {
    Path docs = pkgs.resolve("tech").resolve(DOCS);
    Files.writeString(docs.resolve("copy.txt"), "About these documents.\n");
    Files.writeString(docs.resolve("orig.txt"), "About these documents.\n");
    Text a = text("orig", "tech", Extraction.file(DOCS + "/orig.txt"));
    Text b = text("copy", "tech", Extraction.file(DOCS + "/copy.txt"));
    String sha = Hashes.sha256("About these documents.\n");
    Recipe r =
        new Recipe(
            "dup",
            "",
            List.of(withPin(a, sha), withPin(b, sha)),
            List.of(
                new Split("train", "", parts(Portion.WHOLE, "orig")),
                new Split("eval", "", parts(Portion.WHOLE, "copy"))),
            0.05);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> build(r, dir.resolve("dup")));
    assertTrue(
        e.getMessage().contains("same document is in train/orig (WHOLE) and eval/copy (WHOLE)"),
        e.getMessage());
  }

  static Text withPin(Text t, String sha) {
    return new Text(
        t.id(), t.title(), t.debianPackage(), t.license(), t.extraction(), List.of(sha));
  }

  static List<String> names(DatasetBuilder.Result r) {
    return r.splits().stream().map(s -> s.split().name()).toList();
  }
}
