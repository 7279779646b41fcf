package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.io.FormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwordZTextTest {
  @TempDir Path dir;

  static final String GENESIS =
      "<div osisID=\"Gen\" type=\"book\"/> <title type=\"main\">Genesis</title>"
          + " <chapter osisID=\"Gen.1\" sID=\"Gen.1\"/><w lemma=\"strong:H7225\">In</w> the"
          + " <w lemma=\"strong:H7225\">beginning</w>,<note type=\"study\">Or, <reference>"
          + "Gen 1:1</reference> a <note>nested</note> note</note> God created the heavens"
          + " &amp; the earth.  <div type=\"x-p\"/>Now the earth was formless &#x2014; and"
          + " empty.<!-- a comment -->";

  @Test
  void tagsAreStrippedByTheFixedRules() {
    assertEquals(
        "Genesis\nIn the beginning, God created the heavens & the earth.\n"
            + "Now the earth was formless \u2014 and empty.\n",
        SwordZText.plainText(GENESIS));
    assertEquals(
        "Yahweh is my shepherd;\nI shall lack nothing.\n",
        SwordZText.plainText(
            "<lg><l level=\"1\" sID=\"a\"/>Yahweh is my shepherd;<l eID=\"a\"/>"
                + "<l level=\"2\"/>I shall <q who=\"x\">lack</q> nothing.<lb/></lg>"));
    assertEquals("a < b &unknown; &#xZZ;\n", SwordZText.plainText("a &lt; b &unknown; &#xZZ;"));
    assertEquals("", SwordZText.plainText("<milestone type=\"x-importer\"/>  \n "));
  }

  @Test
  void blocksAreInflatedFromTheIndex() throws Exception {
    Path module = dir.resolve("usr/share/sword/modules/texts/ztext/test");
    Fixtures.writeZText(
        module, "nt", "<milestone type=\"x-importer\"/>", "", GENESIS, "<div/>The end.");
    List<String> blocks =
        SwordZText.blocks(
            Files.readAllBytes(module.resolve("nt.bzs")),
            Files.readAllBytes(module.resolve("nt.bzz")),
            "nt.bzz");
    assertEquals(4, blocks.size());
    assertEquals(GENESIS, blocks.get(2));
    assertEquals("", blocks.get(1));
    String text = Extraction.sword("usr/share/sword/modules/texts/ztext/test", "nt").read(dir);
    assertTrue(text.startsWith("Genesis\nIn the beginning,"), text);
    assertTrue(text.endsWith("empty.\nThe end.\n"), text);
  }

  @Test
  void badIndexesAreReported() throws Exception {
    Fixtures.writeZText(dir, "ot", "<w>word</w>");
    byte[] bzs = Files.readAllBytes(dir.resolve("ot.bzs"));
    byte[] bzz = Files.readAllBytes(dir.resolve("ot.bzz"));
    assertTrue(
        assertThrows(
                FormatException.class,
                () -> SwordZText.blocks(java.util.Arrays.copyOf(bzs, 11), bzz, "ot.bzz"))
            .getMessage()
            .contains("multiple of 12"));
    assertTrue(
        assertThrows(
                FormatException.class,
                () ->
                    SwordZText.blocks(bzs, java.util.Arrays.copyOf(bzz, bzz.length - 1), "ot.bzz"))
            .getMessage()
            .contains("block 0"));
  }
}
