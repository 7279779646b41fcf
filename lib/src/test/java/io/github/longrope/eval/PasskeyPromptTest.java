package io.github.longrope.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** T15 and the prompt layout. */
class PasskeyPromptTest {
  @Test
  void t15CharacterBudgets() {
    assertEquals(14950, PasskeyPrompt.characterBudget(4096));
    assertEquals(119603, PasskeyPrompt.characterBudget(32768));
  }

  @Test
  void promptHasFiveLinesAndTheNeedleAtItsDepth() {
    PasskeyPrompt p = PasskeyPrompt.build(1000, 300, 4242);
    String[] lines = p.text().split("\n", -1);
    assertEquals(5, lines.length);
    assertEquals(300, lines[1].length());
    assertEquals(700, lines[3].length());
    assertEquals("The pass key is 4242. Remember it. 4242 is the pass key.", lines[2]);
    assertEquals("What is the pass key? The pass key is", lines[4]);
    assertTrue(lines[3].startsWith("The grass is green."));
  }

  @Test
  void generationIsSeededAndInRange() {
    for (int trial = 0; trial < 200; trial++) {
      PasskeyPrompt a = PasskeyPrompt.generate(256, new SplittableRandom(trial));
      PasskeyPrompt b = PasskeyPrompt.generate(256, new SplittableRandom(trial));
      assertEquals(a, b);
      assertTrue(a.passkey() >= 1 && a.passkey() <= 50000);
      assertTrue(a.prefixChars() >= 0 && a.prefixChars() <= a.budgetChars());
    }
  }

  @Test
  void answerIsTheFirstInteger() {
    assertEquals(31415, PasskeyPrompt.answer(" 31415. Remember it."));
    assertEquals(-1, PasskeyPrompt.answer(" the grass is green"));
    assertEquals(7, PasskeyPrompt.answer("is 7 and 8"));
  }

  @Test
  void atDepthPlacesTheNeedleAndDrawsOnlyTheKey() {
    SplittableRandom a = new SplittableRandom(3);
    PasskeyPrompt p = PasskeyPrompt.atDepth(4096, 0.25, a);
    assertEquals(14950, p.budgetChars());
    assertEquals(Math.round(0.25 * 14950), p.prefixChars());
    assertEquals(1 + new SplittableRandom(3).nextInt(50_000), p.passkey());
    assertEquals(0, PasskeyPrompt.atDepth(100, 0, a).prefixChars());
    assertEquals(365, PasskeyPrompt.atDepth(100, 1, a).prefixChars());
    assertEquals(0.25, p.depth(), 1e-4);
  }
}
