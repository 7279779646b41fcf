package io.github.longrope.eval.mc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cloze set: true next sentence, far distractors, seeded, readable as HellaSwag. */
class ClozeBuilderTest {
  @TempDir Path dir;

  /** Text d, sentence i reads "In text d the fox number i jumps over dog i." */
  static List<String> texts() {
    List<String> texts = new ArrayList<>();
    for (int d = 0; d < 2; d++) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 150; i++) {
        sb.append(
            String.format(
                Locale.ROOT,
                "In text %d the fox number %d jumps over dog %d.%s",
                d,
                i,
                i,
                i % 7 == 6 ? "\n\n" : " "));
      }
      texts.add(sb.toString());
    }
    return texts;
  }

  @Test
  void sentencesSplitAtFullStopsBeforeCapitals() {
    assertEquals(
        List.of("Mr. Darcy came.", "\"Is it so?\" she asked.", "Yes, e.g. today.", "(Fine.)"),
        ClozeBuilder.sentences(
            "Mr. Darcy came.  \"Is it so?\" she\nasked. Yes, e.g. today. (Fine.)"));
  }

  @Test
  void itemsHoldTheTrueNextSentenceAmongFarDistractors() {
    List<ClozeBuilder.Cloze> items = new ClozeBuilder(30, 3, 4, 4).build(texts());
    assertEquals(30, items.size());
    assertEquals(items, new ClozeBuilder(30, 3, 4, 4).build(texts()), "seeded");
    assertTrue(!items.equals(new ClozeBuilder(30, 4, 4, 4).build(texts())));
    HashSet<String> sources = new HashSet<>();
    int[] labels = new int[4];
    for (ClozeBuilder.Cloze c : items) {
      assertTrue(sources.add(c.source()), "no item twice");
      String[] src = c.source().replaceAll("[^0-9 ]", "").trim().split(" +");
      int d = Integer.parseInt(src[0]);
      int i = Integer.parseInt(src[1]);
      assertEquals(
          String.format(Locale.ROOT, "In text %d the fox number %d jumps over dog %d.", d, i, i),
          c.endings().get(c.label()));
      assertTrue(
          c.context()
                  .startsWith(String.format(Locale.ROOT, "In text %d the fox number %d ", d, i - 4))
              && c.context()
                  .endsWith(
                      String.format(Locale.ROOT, "number %d jumps over dog %d.", i - 1, i - 1)),
          c.context());
      assertEquals(4, new HashSet<>(c.endings()).size());
      for (String e : c.endings()) {
        assertTrue(
            Math.abs(e.length() - c.endings().get(c.label()).length()) <= 4,
            "distractors are the closest in length: " + e);
        if (!e.equals(c.endings().get(c.label())) && e.contains("text " + d + " ")) {
          int j = Integer.parseInt(e.replaceAll(".*number (\\d+) .*", "$1"));
          assertTrue(Math.abs(j - i) >= 50, "distractor too close: " + e);
        }
      }
      labels[c.label()]++;
    }
    for (int n : labels) {
      assertTrue(n > 0, "labels are shuffled");
    }
  }

  @Test
  void writtenItemsReadBackAsHellaswag() throws Exception {
    List<ClozeBuilder.Cloze> items = ClozeBuilder.of(5, 1).build(texts());
    Path f = dir.resolve("cloze.jsonl");
    ClozeBuilder.write(items, f);
    List<McItem> read = McTask.HELLASWAG.read(f);
    for (int k = 0; k < items.size(); k++) {
      assertEquals(items.get(k).context(), read.get(k).query());
      assertEquals(items.get(k).endings(), read.get(k).choices());
      assertEquals(items.get(k).label(), read.get(k).gold());
    }
  }

  @Test
  void tooLittleTextIsAClearError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClozeBuilder.of(5, 1).build(List.of("One short text. It has. Few sentences.")));
    assertTrue(e.getMessage().contains("items requested"), e.getMessage());
  }
}
