package io.github.longrope.eval;

import io.github.longrope.data.PasskeyMixture;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The passkey-retrieval prompt of the official LongRoPE evaluation (docs/method.md, "Passkey
 * retrieval"), identical in text to landmark-attention's and LongLoRA's.
 *
 * <p>A filler unit is doubled ({@code g = g + " " + g}) until it covers {@code int(tokens·3.65)}
 * characters; the prefix is {@code g[:a]} with {@code a} uniform in [0, budget] (character-uniform
 * depth), the suffix {@code g[:budget − a]}. The key K is uniform in [1, 50000]. RNG draw order per
 * sample: prefix length, then K. The answer is the first integer in the model's continuation.
 *
 * @param text the 5-line prompt
 * @param passkey K
 * @param prefixChars a, the needle's character depth
 * @param budgetChars int(tokens·3.65)
 */
public record PasskeyPrompt(String text, int passkey, int prefixChars, int budgetChars) {
  /** Characters per token of the official budget. */
  public static final double CHARS_PER_TOKEN = 3.65;

  static final String TASK =
      "There is an important info hidden inside a lot of irrelevant text. Find it and memorize"
          + " them. I will quiz you about the important information there.";
  static final String FILLER =
      "The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again.";
  static final String QUESTION = "What is the pass key? The pass key is";
  private static final Pattern INTEGER = Pattern.compile("\\d+");

  /** int(tokens·3.65): 4096 → 14950, 32768 → 119603 (T15). */
  public static int characterBudget(int targetTokens) {
    if (targetTokens < 1) {
      throw new IllegalArgumentException("target length must be >= 1 token, got " + targetTokens);
    }
    return (int) (targetTokens * CHARS_PER_TOKEN);
  }

  /** The template of the training mixture and of window-fitted prompts: the prompt's text. */
  public static final PasskeyMixture.Template TEMPLATE = (b, d, k) -> build(b, d, k).text();

  /** A key K uniform in [1, 50000] (the official range): {@link PasskeyMixture#drawKey}. */
  public static int drawKey(RandomGenerator rng) {
    return PasskeyMixture.drawKey(rng);
  }

  /** A prompt for a target length, drawing depth then key from {@code rng}. */
  public static PasskeyPrompt generate(int targetTokens, RandomGenerator rng) {
    int budget = characterBudget(targetTokens);
    int prefix = rng.nextInt(budget + 1);
    int key = drawKey(rng);
    return build(budget, prefix, key);
  }

  /**
   * A prompt with the needle at a fixed depth (grid mode): prefix {@code round(depth·budget)}
   * characters, the key drawn from {@code rng} (uniform in [1, 50000], one draw).
   *
   * @param depth fraction of the filler before the needle, in [0, 1]
   */
  public static PasskeyPrompt atDepth(int targetTokens, double depth, RandomGenerator rng) {
    if (!(depth >= 0 && depth <= 1)) {
      throw new IllegalArgumentException("needle depth must be in [0, 1], got " + depth);
    }
    int budget = characterBudget(targetTokens);
    int key = drawKey(rng);
    return build(budget, (int) Math.round(depth * budget), key);
  }

  /** The needle's depth as a fraction of the filler, in [0, 1] (0 for an empty filler). */
  public double depth() {
    return budgetChars == 0 ? 0 : (double) prefixChars / budgetChars;
  }

  /** A prompt with the needle at a given character depth and key. */
  public static PasskeyPrompt build(int budgetChars, int prefixChars, int passkey) {
    if (prefixChars < 0 || prefixChars > budgetChars) {
      throw new IllegalArgumentException(
          "needle depth " + prefixChars + " outside [0, " + budgetChars + "]");
    }
    String g = FILLER;
    while (g.length() < budgetChars) {
      g = g + " " + g;
    }
    String info = "The pass key is " + passkey + ". Remember it. " + passkey + " is the pass key.";
    String text =
        String.join(
            "\n",
            TASK,
            g.substring(0, prefixChars),
            info,
            g.substring(0, budgetChars - prefixChars),
            QUESTION);
    return new PasskeyPrompt(text, passkey, prefixChars, budgetChars);
  }

  /** The first integer in a continuation, or -1 when there is none (scored wrong). */
  public static long answer(String continuation) {
    Matcher m = INTEGER.matcher(continuation);
    if (!m.find()) {
      return -1;
    }
    String digits = m.group();
    return digits.length() > 18 ? -1 : Long.parseLong(digits);
  }
}
