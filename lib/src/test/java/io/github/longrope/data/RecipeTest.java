package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.data.Recipe.Part;
import io.github.longrope.data.Recipe.Portion;
import io.github.longrope.data.Recipe.Split;
import io.github.longrope.data.Recipe.Text;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecipeTest {
  static Text text(String id) {
    return new Text(id, id, "pkg", "public domain", Extraction.file(id + ".txt"), List.of());
  }

  @Test
  void builtInCorpusKeepsEveryTextInOneSplit() {
    Recipe c = Recipes.CORPUS;
    Map<String, List<String>> where = new HashMap<>();
    for (Split s : c.splits()) {
      for (Part p : s.parts()) {
        where.computeIfAbsent(p.text(), k -> new ArrayList<>()).add(s.name() + ":" + p.portion());
      }
    }
    assertEquals(c.texts().size(), where.size(), "every text is used");
    for (Map.Entry<String, List<String>> e : where.entrySet()) {
      List<String> w = e.getValue();
      assertTrue(
          w.size() == 1 && w.get(0).endsWith(":WHOLE")
              || w.equals(List.of("train:HEAD", "valid:TAIL")),
          e.getKey() + " is in " + w);
    }
    for (Text t : c.texts()) {
      assertFalse(t.sha256().isEmpty(), t.id() + " is pinned");
    }
    // the never-trained domain and the held-out books are not in training
    for (String id :
        List.of(
            "pari_users_guide",
            "hol_topology",
            "hol_integration",
            "coq_reals",
            "austen_prideprejudice",
            "austen_persuasion",
            "austen_northangerabbey",
            "web_new_testament",
            "python_docs_library")) {
      assertTrue(where.get(id).size() == 1 && !where.get(id).get(0).startsWith("train"), id);
    }
    assertEquals(Recipes.CORPUS, Recipes.byName("corpus"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Recipes.byName("pg19"))
            .getMessage()
            .contains("corpus"));
  }

  @Test
  void aTextInTwoSplitsIsRejected() {
    List<Text> texts = List.of(text("a"), text("b"));
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Recipe(
                    "x",
                    "",
                    texts,
                    List.of(
                        new Split("train", "", List.of(new Part("a", Portion.WHOLE))),
                        new Split(
                            "eval",
                            "",
                            List.of(new Part("a", Portion.WHOLE), new Part("b", Portion.WHOLE)))),
                    0.05));
    assertTrue(twice.getMessage().contains("text a (WHOLE) is in train and eval"));
    IllegalArgumentException headWithoutTail =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Recipe(
                    "x",
                    "",
                    texts,
                    List.of(
                        new Split("train", "", List.of(new Part("a", Portion.HEAD))),
                        new Split("eval", "", List.of(new Part("b", Portion.WHOLE)))),
                    0.05));
    assertTrue(headWithoutTail.getMessage().contains("HEAD needs its TAIL"));
    IllegalArgumentException wholeAndPart =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Recipe(
                    "x",
                    "",
                    texts,
                    List.of(
                        new Split("train", "", List.of(new Part("a", Portion.HEAD))),
                        new Split("valid", "", List.of(new Part("a", Portion.TAIL))),
                        new Split(
                            "eval",
                            "",
                            List.of(new Part("a", Portion.WHOLE), new Part("b", Portion.WHOLE)))),
                    0.05));
    assertTrue(wholeAndPart.getMessage().contains("whole in eval and in part"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Recipe(
                "x",
                "",
                texts,
                List.of(new Split("eval", "", List.of(new Part("a", Portion.WHOLE)))),
                0.05),
        "b is unused");
    assertThrows(
        IllegalArgumentException.class,
        () -> new Text("Bad Id", "", "p", "", Extraction.file("f"), List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Text("ok", "", "p", "", Extraction.file("f"), List.of("abc")));
  }

  @Test
  void headAndTailPartitionTheTokens() {
    for (int n : new int[] {0, 1, 2, 19, 20, 21, 1000, 1001}) {
      int[] tokens = IntStream.range(0, n).toArray();
      int[] head = Recipes.CORPUS.portion(tokens, Portion.HEAD);
      int[] tail = Recipes.CORPUS.portion(tokens, Portion.TAIL);
      assertEquals(n, head.length + tail.length);
      assertArrayEquals(tokens, IntStream.concat(IntStream.of(head), IntStream.of(tail)).toArray());
      assertTrue(n == 0 || tail.length >= 1, "a non-empty text keeps a tail");
      assertEquals(Math.max(n == 0 ? 0 : 1, n - (int) Math.floor(n * (1 - 0.05))), tail.length);
    }
  }
}
