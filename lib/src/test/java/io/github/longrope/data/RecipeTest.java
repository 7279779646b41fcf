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

  /** The message of a recipe over texts a and b with these splits, which must be refused. */
  static String refusal(Split... splits) {
    List<Text> texts = List.of(text("a"), text("b"));
    return assertThrows(
            IllegalArgumentException.class, () -> new Recipe("x", "", texts, List.of(splits), 0.05))
        .getMessage();
  }

  static Split split(String name, Part... parts) {
    return new Split(name, "", List.of(parts));
  }

  @Test
  void aTextInTwoSplitsIsRejected() {
    Part a = new Part("a", Portion.WHOLE);
    Part b = new Part("b", Portion.WHOLE);
    Part aHead = new Part("a", Portion.HEAD);
    assertTrue(
        refusal(split("train", a), split("eval", a, b))
            .contains("text a (WHOLE) is in train and eval"));
    assertTrue(refusal(split("train", aHead), split("eval", b)).contains("HEAD needs its TAIL"));
    assertTrue(
        refusal(
                split("train", aHead),
                split("valid", new Part("a", Portion.TAIL)),
                split("eval", a, b))
            .contains("whole in eval and in part"));
    assertTrue(refusal(split("eval", a)).contains("text b is in no split"));
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
