package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.eval.PasskeyPrompt;
import io.github.longrope.io.HfTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasskeyMixtureTest {
  static HfTokenizer tok;
  static final PasskeyMixture.Template PROMPT =
      (budget, depth, key) -> PasskeyPrompt.build(budget, depth, key).text();

  @TempDir Path dir;

  @BeforeAll
  static void load() {
    tok = HfTokenizer.load(Fixtures.TOKENIZER);
  }

  @AfterAll
  static void close() {
    tok.close();
  }

  @Test
  void sequencesHoldTheKeyAndTheAnswerAndFitTheWindow() {
    PasskeyMixture.Config c = new PasskeyMixture.Config(12, 256, 7);
    long[] progress = {0};
    List<PasskeyMixture.Sample> samples =
        PasskeyMixture.generate(c, PROMPT, tok::encode, done -> progress[0] = done);
    assertEquals(12, progress[0]);
    for (PasskeyMixture.Sample s : samples) {
      String k = Integer.toString(s.passkey());
      assertTrue(s.passkey() >= 1 && s.passkey() <= 50_000);
      assertTrue(
          s.text().contains("The pass key is " + k + ". Remember it. " + k + " is the pass key."),
          s.text());
      assertTrue(s.text().endsWith("What is the pass key? The pass key is " + k + "."), s.text());
      assertTrue(s.tokens().length <= 255, "fits 256 with BOS: " + s.tokens().length);
      assertTrue(s.tokens().length >= 245, "filled to the window: " + s.tokens().length);
      assertArrayEquals(tok.encode(s.text()), s.tokens());
      assertTrue(tok.decode(s.tokens()).endsWith("The pass key is " + k + "."));
      // the answer's digits are single tokens at the end, before the full stop
      int[] tail =
          Arrays.copyOfRange(s.tokens(), s.tokens().length - k.length() - 1, s.tokens().length);
      assertEquals(k + ".", tok.decode(tail).strip());
      assertTrue(s.depthChars() >= 0 && s.depthChars() <= s.budgetChars());
    }
    assertTrue(
        samples.stream().mapToInt(PasskeyMixture.Sample::passkey).distinct().count() > 6,
        "keys vary");
    List<PasskeyMixture.Sample> again = PasskeyMixture.generate(c, PROMPT, tok::encode, d -> {});
    for (int i = 0; i < samples.size(); i++) {
      assertArrayEquals(samples.get(i).tokens(), again.get(i).tokens(), "seeded");
    }
    PasskeyMixture.write(dir.resolve("pk"), samples);
    TokenFile f = TokenFile.open(dir.resolve("pk.bin"));
    assertEquals(12, f.size());
    assertArrayEquals(samples.get(3).tokens(), f.document(3));

    // the answer's token count: the tokens after the bare prompt's, read back from the .jsonl
    int[] answers = PasskeyMixture.answerTokens(dir.resolve("pk"), 12);
    for (int i = 0; i < samples.size(); i++) {
      PasskeyMixture.Sample s = samples.get(i);
      int prompt =
          tok.encode(PasskeyPrompt.build(s.budgetChars(), s.depthChars(), s.passkey()).text())
              .length;
      assertEquals(s.tokens().length - prompt, s.answerTokens());
      assertEquals(s.answerTokens(), answers[i]);
      int[] answer =
          Arrays.copyOfRange(s.tokens(), s.tokens().length - answers[i], s.tokens().length);
      assertEquals(s.passkey() + ".", tok.decode(answer).strip(), "the answer is the tail");
      assertEquals(Integer.toString(s.passkey()).length() + 2, answers[i], "▁, digits, full stop");
    }
  }

  @Test
  void answerLengthsNameAFileThatCannotGiveThem() throws Exception {
    PasskeyMixture.Config c = new PasskeyMixture.Config(2, 128, 1);
    PasskeyMixture.write(
        dir.resolve("pk"), PasskeyMixture.generate(c, PROMPT, tok::encode, d -> {}));
    IllegalArgumentException count =
        assertThrows(
            IllegalArgumentException.class,
            () -> PasskeyMixture.answerTokens(dir.resolve("pk"), 3));
    assertTrue(count.getMessage().contains("2 lines for 3 sequences"), count.getMessage());
    // a dataset built before the answer lengths were recorded
    Path jsonl = dir.resolve("pk.jsonl");
    java.nio.file.Files.writeString(
        jsonl, java.nio.file.Files.readString(jsonl).replaceAll(",\"answer_tokens\":\\d+", ""));
    IllegalArgumentException old =
        assertThrows(
            IllegalArgumentException.class,
            () -> PasskeyMixture.answerTokens(dir.resolve("pk"), 2));
    assertTrue(
        old.getMessage().contains("pk.jsonl line 1") && old.getMessage().contains("rebuild"),
        old.getMessage());
    java.nio.file.Files.delete(jsonl);
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> PasskeyMixture.answerTokens(dir.resolve("pk"), 2))
            .getMessage()
            .contains("not found"));
  }

  @Test
  void aMinLengthDrawsEachWindowAndKeepsFixedLengthDatasetsUnchanged() {
    List<PasskeyMixture.Sample> varied =
        PasskeyMixture.generate(
            new PasskeyMixture.Config(16, 256, 96, 7), PROMPT, tok::encode, d -> {});
    SplittableRandom r = new SplittableRandom(7);
    for (PasskeyMixture.Sample s : varied) {
      r.nextDouble();
      assertEquals(1 + r.nextInt(50_000), s.passkey(), "depth, key, then window");
      int window = 96 + r.nextInt(256 - 96 + 1);
      assertTrue(s.tokens().length <= window - 1, s.tokens().length + " fits " + window);
      assertTrue(s.tokens().length >= window - 8, s.tokens().length + " fills " + window);
    }
    assertTrue(
        varied.stream().mapToInt(s -> s.tokens().length).max().getAsInt()
                - varied.stream().mapToInt(s -> s.tokens().length).min().getAsInt()
            > 60,
        "lengths vary");
    List<PasskeyMixture.Sample> fixed =
        PasskeyMixture.generate(
            new PasskeyMixture.Config(4, 256, 256, 7), PROMPT, tok::encode, d -> {});
    List<PasskeyMixture.Sample> legacy =
        PasskeyMixture.generate(new PasskeyMixture.Config(4, 256, 7), PROMPT, tok::encode, d -> {});
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(legacy.get(i).tokens(), fixed.get(i).tokens());
    }
    assertThrows(IllegalArgumentException.class, () -> new PasskeyMixture.Config(4, 256, 300, 7));
  }

  @Test
  void aWindowTooShortForThePromptIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PasskeyMixture.generate(
                    new PasskeyMixture.Config(1, 32, 0), PROMPT, tok::encode, d -> {}));
    assertTrue(e.getMessage().contains("too short"), e.getMessage());
  }
}
