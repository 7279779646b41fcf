package io.github.longrope.eval.mc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.io.FormatException;
import io.github.longrope.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The four public layouts, rendered as lm-evaluation-harness renders them. */
class McTaskTest {
  @TempDir Path dir;

  static Path fixture(String name) throws Exception {
    return Path.of(McTaskTest.class.getResource("/mc/" + name).toURI());
  }

  @Test
  void arc() throws Exception {
    List<McItem> items = McTask.ARC.read(fixture("arc.jsonl"));
    assertEquals(4, items.size());
    McItem a = items.get(0);
    assertEquals("", a.description());
    assertEquals("Question: Which of these is a source of light?\nAnswer:", a.query());
    assertEquals(List.of("a mirror", "the Sun", "the Moon's shadow", "a black stone"), a.choices());
    assertEquals(1, a.gold());
    assertEquals(1, items.get(2).gold(), "numeric labels '1'..'3'");
    assertEquals(3, items.get(2).choices().size());
    assertEquals("Question: Which of these is a source of light?\nAnswer: the Sun", a.solved());
  }

  @Test
  void hellaswag() throws Exception {
    List<McItem> items = McTask.HELLASWAG.read(fixture("hellaswag.jsonl"));
    McItem a = items.get(0);
    assertEquals(
        "Making tea: A man fills a kettle with water and puts it on the stove. He", a.query());
    assertEquals("throws the kettle out of the window. and sings.", a.choices().get(1));
    assertEquals(0, a.gold());
    assertEquals(
        "Riding a bike: A boy puts on his helmet. The boy",
        items.get(2).query(),
        "ctx_b capitalised as Python's str.capitalize");
    assertEquals(2, items.get(2).gold(), "integer label");
    assertEquals(
        "The baker kneads the dough and shapes it into loaves. Then she",
        items.get(3).query(),
        "ctx when there is no ctx_a");
    assertEquals(3, items.get(3).gold());
  }

  @Test
  void mmlu() throws Exception {
    McItem a = McTask.MMLU.read(fixture("mmlu.jsonl")).get(0);
    assertEquals(
        "The following are multiple choice questions (with answers) about elementary"
            + " mathematics.\n\n",
        a.description());
    assertEquals("What is 7 multiplied by 6?\nA. 36\nB. 42\nC. 48\nD. 54\nAnswer:", a.query());
    assertEquals(List.of("A", "B", "C", "D"), a.choices());
    assertEquals(1, a.gold());
  }

  @Test
  void truthfulqaMc1AndMc2() throws Exception {
    McItem mc1 = McTask.TRUTHFULQA.read(fixture("truthfulqa.jsonl")).get(0);
    assertTrue(mc1.description().startsWith("Q: What is human life expectancy"));
    assertTrue(mc1.description().endsWith("Barcelona, Spain.\n\n"));
    assertEquals("Q: What happens if you swallow chewing gum?\nA:", mc1.query());
    assertEquals(3, mc1.choices().size());
    assertEquals(List.of(0), mc1.correct());
    McItem mc2 = McTask.TRUTHFULQA_MC2.read(fixture("truthfulqa.jsonl")).get(0);
    assertEquals(4, mc2.choices().size());
    assertEquals(List.of(0, 1), mc2.correct());
    assertEquals(McTask.TRUTHFULQA, McTask.parse("truthfulqa_mc1"));
    assertEquals(McTask.TRUTHFULQA_MC2, McTask.parse("TruthfulQA-MC2"));
    assertEquals(McTask.ARC, McTask.parse("arc_challenge"));
  }

  @Test
  void errorsNameTheFileLineAndKey() throws Exception {
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(
        bad,
        "{\"question\": \"q\", \"choices\": {\"text\": [\"a\", \"b\"], \"label\": [\"A\", \"B\"]},"
            + " \"answerKey\": \"A\"}\n\n"
            + "{\"question\": \"q\", \"choices\": {\"text\": [\"a\", \"b\"], \"label\": [\"A\","
            + " \"B\"]}, \"answerKey\": \"E\"}\n");
    FormatException e = assertThrows(FormatException.class, () -> McTask.ARC.read(bad));
    assertTrue(
        e.getMessage().contains("bad.jsonl")
            && e.getMessage().contains("line 3")
            && e.getMessage().contains("answerKey"),
        e.getMessage());
    FormatException missing =
        assertThrows(FormatException.class, () -> McTask.MMLU.read(fixture("hellaswag.jsonl")));
    assertTrue(missing.getMessage().contains("line 1"), missing.getMessage());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> McTask.parse("gsm8k"));
    assertTrue(unknown.getMessage().contains("known: arc"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            McTask.HELLASWAG.parse(
                Json.parseObject("{\"ctx\":\"c\",\"endings\":[\"a\",\"b\"],\"label\":\"5\"}", "x"),
                "x"));
  }
}
