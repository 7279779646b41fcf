package io.github.longrope.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;

/**
 * Synthetic passkey-retrieval sequences for a training mixture, so that a small model learns to
 * retrieve inside its window: the evaluation prompt (docs/method.md, "Passkey retrieval": filler +
 * needle + question) with the answer appended, {@code prompt + " " + key + "."}, filled to a token
 * length.
 *
 * <p>Per sample, the RNG draws the needle depth as a fraction u ∈ [0, 1), then the key K uniform in
 * [1, 50000] (the evaluation's range). The filler budget B (characters) is found by bisection so
 * that the whole sequence, needle at character depth ⌊u·B⌋, has at most {@code length − 1} tokens
 * and with B + 1 characters it would not; with the BOS a trainer prepends, it fills a window of
 * {@code length}.
 *
 * <p>With {@code minLength < length} each sample then draws its own window uniform in [minLength,
 * length] (a third RNG draw, so a fixed-length dataset is the same as before the option existed):
 * shorter sequences put the key closer to the question and cost fewer tokens, so a small model gets
 * more retrieval examples per training step.
 */
public final class PasskeyMixture {
  private PasskeyMixture() {}

  /** Characters either side of the previous budget that bracket the next one. */
  private static final int SLACK = 16;

  /** The prompt template (the CLI passes {@code eval.PasskeyPrompt.build}). */
  @FunctionalInterface
  public interface Template {
    String prompt(int budgetChars, int depthChars, int passkey);
  }

  /**
   * @param count number of sequences
   * @param length the window a trainer uses, BOS included: sequences have at most length − 1 tokens
   * @param minLength the shortest window drawn (= length: every sequence fills the window)
   * @param seed RNG seed
   */
  public record Config(int count, int length, int minLength, long seed) {
    /** Every sequence fills the window. */
    public Config(int count, int length, long seed) {
      this(count, length, length, seed);
    }

    public Config {
      if (count < 1) {
        throw new IllegalArgumentException("passkey count must be >= 1, got " + count);
      }
      if (length < 2) {
        throw new IllegalArgumentException("passkey length must be >= 2, got " + length);
      }
      if (minLength < 2 || minLength > length) {
        throw new IllegalArgumentException(
            "passkey min length must be in [2, length " + length + "], got " + minLength);
      }
    }
  }

  /**
   * One sequence: its text (prompt + answer), tokens and how it was drawn; {@code answerTokens} is
   * how many of the last tokens are the answer " K." (0 until the sample is chosen: the bisection
   * does not encode the bare prompt of every candidate).
   */
  public record Sample(
      int passkey, int budgetChars, int depthChars, String text, int[] tokens, int answerTokens) {
    /** The same sample with its answer's token count. */
    Sample withAnswerTokens(int count) {
      return new Sample(passkey, budgetChars, depthChars, text, tokens, count);
    }
  }

  /**
   * A key K uniform in [1, 50000], the official range: one draw from {@code rng}. Training
   * sequences, evaluation prompts and the needle fitness all draw their keys here.
   */
  public static int drawKey(RandomGenerator rng) {
    return 1 + rng.nextInt(50_000);
  }

  /** The text a sample trains on: the prompt, a space, the key and a full stop. */
  public static String withAnswer(String prompt, int passkey) {
    return prompt + " " + passkey + ".";
  }

  public static List<Sample> generate(
      Config config, Template template, Function<String, int[]> encode, LongConsumer progress) {
    SplittableRandom rng = new SplittableRandom(config.seed());
    boolean varied = config.minLength() < config.length();
    List<Sample> out = new ArrayList<>(config.count());
    int previous = -1;
    for (int i = 0; i < config.count(); i++) {
      double u = rng.nextDouble();
      int key = drawKey(rng);
      int window =
          varied
              ? config.minLength() + rng.nextInt(config.length() - config.minLength() + 1)
              : config.length();
      Sample fit = fill(template, encode, window - 1, u, key, varied ? -1 : previous, true);
      previous = fit.budgetChars();
      out.add(fit);
      progress.accept(i + 1);
    }
    return out;
  }

  /**
   * One sample filled to {@code maxTokens} (prompt and answer, no BOS): the evaluation's
   * window-filling prompt sizing ({@code eval.PasskeyGrid.Sizing#FIT}) uses the same bisection as
   * the training mixture, so both measure "inside the window" identically.
   *
   * @param depth needle depth as a fraction of the filler, in [0, 1]
   * @throws IllegalArgumentException when even an empty filler does not fit
   */
  public static Sample fit(
      Template template, Function<String, int[]> encode, int maxTokens, double depth, int key) {
    return fill(template, encode, maxTokens, checkDepth(depth), key, -1, true);
  }

  /**
   * As {@link #fit}, for the bare prompt: the largest filler whose prompt, without the answer, has
   * at most {@code maxTokens} tokens (a test that generates the answer itself, such as the LongRoPE
   * boundary test, fills the window up to where generation starts).
   */
  public static Sample fitPrompt(
      Template template, Function<String, int[]> encode, int maxTokens, double depth, int key) {
    return fill(template, encode, maxTokens, checkDepth(depth), key, -1, false);
  }

  private static double checkDepth(double depth) {
    if (!(depth >= 0 && depth <= 1)) {
      throw new IllegalArgumentException("needle depth must be in [0, 1], got " + depth);
    }
    return depth;
  }

  /**
   * A sample whose budget fits {@code max} tokens and budget + 1 does not: bisection between a
   * budget that fits and one that does not, bracketed around the previous sample's budget when it
   * can be (budgets differ by a few characters between samples) and from 0 otherwise.
   */
  private static Sample fill(
      Template template,
      Function<String, int[]> encode,
      int max,
      double u,
      int key,
      int previous,
      boolean answer) {
    Sample lo =
        previous > SLACK ? sample(template, encode, previous - SLACK, u, key, answer) : null;
    if (lo == null || lo.tokens().length > max) {
      lo = sample(template, encode, 0, u, key, answer);
      if (lo.tokens().length > max) {
        throw new IllegalArgumentException(
            "passkey length "
                + (max + 1)
                + " is too short: the prompt without filler already has "
                + lo.tokens().length
                + " tokens (+1 BOS)");
      }
    }
    int loBudget = lo.budgetChars();
    int hiBudget =
        previous >= 0 ? previous + SLACK : Math.max(64, 8 * (max + 1)); // 8 chars/token: too long
    while (sample(template, encode, hiBudget, u, key, answer).tokens().length <= max) {
      hiBudget *= 2;
    }
    while (hiBudget - loBudget > 1) {
      int mid = (loBudget + hiBudget) >>> 1;
      Sample s = sample(template, encode, mid, u, key, answer);
      if (s.tokens().length <= max) {
        loBudget = mid;
        lo = s;
      } else {
        hiBudget = mid;
      }
    }
    if (!answer) {
      return lo;
    }
    int prompt = encode.apply(template.prompt(lo.budgetChars(), lo.depthChars(), key)).length;
    return lo.withAnswerTokens(lo.tokens().length - prompt);
  }

  private static Sample sample(
      Template template,
      Function<String, int[]> encode,
      int budget,
      double u,
      int key,
      boolean answer) {
    int depth = (int) Math.floor(u * budget);
    String prompt = template.prompt(budget, depth, key);
    String text = answer ? withAnswer(prompt, key) : prompt;
    return new Sample(key, budget, depth, text, encode.apply(text), 0);
  }

  /**
   * Writes {@code PREFIX.bin/.idx} and {@code PREFIX.jsonl} (one line per sample: key, depth,
   * budget, tokens, answer_tokens).
   */
  public static void write(Path prefix, List<Sample> samples) {
    List<int[]> docs = new ArrayList<>();
    StringBuilder jsonl = new StringBuilder();
    for (Sample s : samples) {
      docs.add(s.tokens());
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("passkey", s.passkey());
      o.put("depth_chars", s.depthChars());
      o.put("budget_chars", s.budgetChars());
      o.put("tokens", s.tokens().length);
      o.put("answer_tokens", s.answerTokens());
      jsonl.append(o.toString()).append('\n');
    }
    TokenFile.write(prefix, new InMemoryDocuments(docs));
    Path p = TokenFile.prefix(prefix);
    AtomicFiles.writeString(p.resolveSibling(p.getFileName() + ".jsonl"), jsonl.toString());
  }

  /**
   * The answer's token count per sequence of a passkey dataset, from {@code PREFIX.jsonl}: what a
   * trainer needs to put the loss on the answer only ({@code data.passkey_loss: "answer"}).
   *
   * @throws IllegalArgumentException naming the file when it is missing, or built before the count
   *     was recorded, or does not match the token file's sequence count
   */
  public static int[] answerTokens(Path prefix, int documents) {
    Path p = TokenFile.prefix(prefix);
    Path jsonl = p.resolveSibling(p.getFileName() + ".jsonl");
    if (!Files.exists(jsonl)) {
      throw new IllegalArgumentException(
          "passkey answer lengths: " + jsonl + " not found (rebuild with data prepare passkey)");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(jsonl).stream().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jsonl, e);
    }
    if (lines.size() != documents) {
      throw new IllegalArgumentException(
          jsonl + " has " + lines.size() + " lines for " + documents + " sequences");
    }
    int[] out = new int[documents];
    for (int i = 0; i < documents; i++) {
      JsonNode n;
      try {
        n = Json.MAPPER.readTree(lines.get(i)).get("answer_tokens");
      } catch (IOException e) {
        throw new IllegalArgumentException(jsonl + " line " + (i + 1) + ": not JSON", e);
      }
      if (n == null || !n.canConvertToInt() || n.asInt() < 1) {
        throw new IllegalArgumentException(
            jsonl
                + " line "
                + (i + 1)
                + ": no answer_tokens >= 1 (built before answer lengths were recorded: rebuild"
                + " with data prepare passkey)");
      }
      out[i] = n.asInt();
    }
    return out;
  }

  /** README of a passkey dataset folder (deterministic for the same parameters). */
  public static String readme(
      Config config, List<Sample> samples, String tokenizerSha256, String split) {
    long tokens = samples.stream().mapToLong(s -> s.tokens().length).sum();
    int min = samples.stream().mapToInt(s -> s.tokens().length).min().orElse(0);
    int max = samples.stream().mapToInt(s -> s.tokens().length).max().orElse(0);
    return String.format(
        Locale.ROOT,
        "# passkey%n%n"
            + "Synthetic passkey-retrieval sequences for a training mixture (so that the small model"
            + " learns retrieval inside its window): the evaluation prompt of the passkey protocol"
            + " (docs/method.md, \"Passkey retrieval\": task line, filler \"The grass is green. The sky is blue. …\", the needle \"The"
            + " pass key is K. Remember it. K is the pass key.\" at a random depth, the question)"
            + " followed by the answer: `prompt + \" \" + K + \".\"`.%n%n"
            + "| parameter | value |%n|---|---|%n"
            + "| sequences | %d |%n"
            + "| length (window incl. BOS) | %s |%n"
            + "| seed | %d |%n"
            + "| tokens per sequence | %d to %d |%n"
            + "| total tokens | %s |%n"
            + "| tokenizer sha256 | `%s` |%n%n"
            + "Files (git-ignored): `data/%s.bin` + `data/%s.idx` (no BOS stored) and"
            + " `data/%s.jsonl` (per sequence: passkey, needle depth and filler budget in"
            + " characters, tokens, answer tokens: the answer \" K.\" is the sequence's last"
            + " answer_tokens tokens). Per sequence the RNG (SplittableRandom(seed)) draws the depth"
            + " fraction u, then the key K in [1, 50000]; the filler budget B is found by"
            + " bisection (B characters fit, B + 1 do not), the needle at character depth"
            + " floor(u·B). Evaluation prompts"
            + " draw their own keys and depths.%n%n"
            + "Rebuild: `./longrope data prepare passkey --count %d --length %d%s --seed %d`%n",
        samples.size(),
        config.minLength() < config.length()
            ? String.format(
                Locale.ROOT,
                "uniform in [%d, %d] per sequence: each has at most its window − 1 tokens",
                config.minLength(),
                config.length())
            : String.format(
                Locale.ROOT,
                "%d: every sequence has at most %d tokens",
                config.length(),
                config.length() - 1),
        config.seed(),
        min,
        max,
        DatasetReadme.num(tokens),
        tokenizerSha256,
        split,
        split,
        split,
        config.count(),
        config.length(),
        config.minLength() < config.length() ? " --min-length " + config.minLength() : "",
        config.seed());
  }
}
