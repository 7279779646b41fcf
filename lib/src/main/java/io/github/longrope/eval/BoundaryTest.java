package io.github.longrope.eval;

import io.github.longrope.data.PasskeyMixture;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.KvCache;
import io.github.longrope.report.RecordTables;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.rope.RopeScaling.Regime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.Table;

/**
 * The short/long boundary test (docs/method.md, "Short/long boundary test"; failure modes F1 and
 * F7): passkey prompts that end just below the original length L, with the answer generated past
 * it, under a RoPE with a short/long pair (HF {@code longrope}: short factors while the total
 * length is ≤ L, long above).
 *
 * <p>This is where vLLM, llama.cpp and unsloth produced gibberish: keys cached under the short
 * table were reused after the switch. For each trial and each {@link KvCache.Policy} the test
 * generates greedily with the cache and compares with the same greedy decoding by full forwards (no
 * cache: every step a fresh forward over the whole sequence with the table that policy prescribes —
 * for {@code RECOMPUTE} the table of the current length, as HF does; for {@code FIXED} the table of
 * the request's maximum length). {@code exact} says the cached answer equals that reference token
 * for token; {@code retrieved} that the answer contains the key. A random model retrieves nothing,
 * but must still be exact.
 *
 * <pre>{@code
 * BoundaryTest.Result r = BoundaryTest.defaults().run(model, pair, codec, null);
 * r.allExact();       // the cache never mixed factor sets
 * r.table();          // trial, policy, prompt_tokens, regimes, recomputes, answer, exact, retrieved
 * }</pre>
 *
 * @param trials prompts (each at a random depth with a random key)
 * @param seed RNG seed
 * @param margin the prompt (BOS included) has at most L − margin tokens
 * @param maxNewTokens tokens generated; at least margin + 2 so that the last step's length exceeds
 *     L
 */
public record BoundaryTest(int trials, long seed, int margin, int maxNewTokens) {
  public BoundaryTest {
    if (trials < 1) {
      throw new IllegalArgumentException("boundary test: trials must be >= 1, got " + trials);
    }
    if (margin < 1) {
      throw new IllegalArgumentException("boundary test: margin must be >= 1, got " + margin);
    }
    if (maxNewTokens < margin + 2) {
      throw new IllegalArgumentException(
          "boundary test: max new tokens ("
              + maxNewTokens
              + ") must be >= margin + 2 ("
              + (margin + 2)
              + ") for generation to cross the original length");
    }
  }

  /** 10 trials, seed 42, prompts ending 3 tokens below L, 10 new tokens. */
  public static BoundaryTest defaults() {
    return new BoundaryTest(10, PasskeyGrid.SEED, 3, PasskeyGrid.MAX_NEW_TOKENS);
  }

  /**
   * One trial under one policy.
   *
   * @param promptTokens tokens of the prompt, BOS included (≤ L − margin)
   * @param lastLength the longest sequence a forward saw (prompt + generated − 1)
   * @param promptRegime the regime the prompt's keys were cached under
   * @param finalRegime the regime of the cache after the last step
   * @param recomputes times the cache was rebuilt because the table changed
   * @param referenceAnswer the continuation of the full-forward greedy decoding
   * @param exact cached generation equals the full-forward reference token for token
   */
  public record Row(
      int trial,
      int passkey,
      int depthChars,
      int promptTokens,
      int lastLength,
      KvCache.Policy policy,
      Regime promptRegime,
      Regime finalRegime,
      int recomputes,
      String answer,
      String referenceAnswer,
      boolean exact,
      boolean retrieved) {

    /** True when the generation went past L (an early EOS can stop it before). */
    public boolean crossed(int originalLength) {
      return lastLength > originalLength;
    }
  }

  public interface Listener {
    void rowDone(int done, int total, Row row);
  }

  public record Result(int originalLength, List<Row> rows) {
    public Result {
      rows = List.copyOf(rows);
    }

    /** Every cached generation equals its full-forward reference. */
    public boolean allExact() {
      return rows.stream().allMatch(Row::exact);
    }

    /** Trials whose answer contained the key, under one policy. */
    public long retrieved(KvCache.Policy policy) {
      return rows.stream().filter(r -> r.policy() == policy && r.retrieved()).count();
    }

    /** Rows whose generation crossed L. */
    public long crossed() {
      return rows.stream().filter(r -> r.crossed(originalLength)).count();
    }

    /** The rows as a table, without the depth and with whether each generation crossed L. */
    public Table table() {
      Table t = RecordTables.of("boundary", Row.class, rows).removeColumns("depth_chars");
      BooleanColumn crossed = BooleanColumn.create("crossed");
      rows.forEach(r -> crossed.append(r.crossed(originalLength)));
      return t.insertColumn(4, crossed);
    }
  }

  /**
   * Runs the test with both cache policies.
   *
   * @param rope a variant that switches from short to long exactly after {@code originalLength} (HF
   *     {@code longrope} pair)
   * @param originalLength L
   */
  /** {@link #run(Decoder, RopeScaling, int, TextCodec, Listener)} without progress (notebooks). */
  public Result run(Decoder model, RopeScaling rope, int originalLength, TextCodec codec) {
    return run(model, rope, originalLength, codec, null);
  }

  public Result run(
      Decoder model, RopeScaling rope, int originalLength, TextCodec codec, Listener listener) {
    requirePair(rope, originalLength);
    int bos = model.config().bosTokenId();
    int limit = originalLength - margin;
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    int total = trials * KvCache.Policy.values().length;
    for (int t = 0; t < trials; t++) {
      PasskeyGrid.checkCancelled(rows.size(), total);
      double u = rng.nextDouble();
      int key = PasskeyPrompt.drawKey(rng);
      PasskeyPrompt prompt = fit(codec, bos, limit, u, key);
      int[] ids = codec.encodeWithBos(prompt.text(), bos);
      for (KvCache.Policy policy : KvCache.Policy.values()) {
        PasskeyGrid.checkCancelled(rows.size(), total);
        rows.add(trial(model, rope, codec, t, prompt, ids, policy));
        if (listener != null) {
          listener.rowDone(rows.size(), total, rows.get(rows.size() - 1));
        }
      }
    }
    return new Result(originalLength, rows);
  }

  /** Throws unless {@code rope} switches from short to long factors right after L. */
  public static void requirePair(RopeScaling rope, int originalLength) {
    if (rope.regime(originalLength).orElse(null) != Regime.SHORT
        || rope.regime(originalLength + 1).orElse(null) != Regime.LONG) {
      throw new IllegalArgumentException(
          "boundary test: the RoPE scaling must switch from short to long factors after L = "
              + originalLength
              + " (a longrope short/long pair; got "
              + rope.typeName()
              + (rope.regime(originalLength).isPresent() ? " with another L" : " without a pair")
              + ")");
    }
  }

  private Row trial(
      Decoder model,
      RopeScaling rope,
      TextCodec codec,
      int index,
      PasskeyPrompt prompt,
      int[] ids,
      KvCache.Policy policy) {
    int maxLength = ids.length + maxNewTokens;
    int[] generated = new int[maxNewTokens];
    int n = 0;
    Regime promptRegime;
    Regime finalRegime;
    int recomputes;
    try (KvCache cache =
        policy == KvCache.Policy.FIXED
            ? model.newFixedCache(rope, maxLength)
            : model.newCache(rope)) {
      float[] logits = model.step(cache, ids);
      promptRegime = cache.regime().orElseThrow();
      while (n < maxNewTokens) {
        int next = Decoder.argMax(logits);
        generated[n++] = next;
        if (model.config().isEos(next) || n == maxNewTokens) {
          break;
        }
        logits = model.step(cache, new int[] {next});
      }
      finalRegime = cache.regime().orElseThrow();
      recomputes = cache.recomputes();
    }
    generated = Arrays.copyOf(generated, n);
    int[] reference = fullForwardGreedy(model, rope, ids, policy, maxLength);
    String answer = codec.decode(generated);
    return new Row(
        index,
        prompt.passkey(),
        prompt.prefixChars(),
        ids.length,
        ids.length + n - 1,
        policy,
        promptRegime,
        finalRegime,
        recomputes,
        answer,
        codec.decode(reference),
        Arrays.equals(generated, reference),
        PasskeyPrompt.answer(answer) == prompt.passkey());
  }

  /**
   * Greedy decoding without a cache: each token from a fresh forward over the whole sequence
   * (logits of the last position only: a new cache per step holds one prefill).
   */
  private int[] fullForwardGreedy(
      Decoder model, RopeScaling rope, int[] ids, KvCache.Policy policy, int maxLength) {
    int[] seq = ids;
    int[] out = new int[maxNewTokens];
    int n = 0;
    while (n < maxNewTokens) {
      float[] logits;
      try (KvCache fresh =
          policy == KvCache.Policy.FIXED
              ? model.newFixedCache(rope, maxLength)
              : model.newCache(rope)) {
        logits = model.step(fresh, seq);
      }
      int next = Decoder.argMax(logits);
      out[n++] = next;
      if (model.config().isEos(next)) {
        break;
      }
      seq = Arrays.copyOf(seq, seq.length + 1);
      seq[seq.length - 1] = next;
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * The prompt with the needle at depth fraction {@code u} and the largest filler whose encoding
   * (BOS included) has at most {@code limit} tokens: the training mixture's bisection on the
   * character budget, for the bare prompt (the test generates the answer).
   */
  static PasskeyPrompt fit(TextCodec codec, int bos, int limit, double u, int key) {
    PasskeyMixture.Sample s;
    try {
      s =
          PasskeyMixture.fitPrompt(
              PasskeyPrompt.TEMPLATE, codec::encode, bos >= 0 ? limit - 1 : limit, u, key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "boundary test: L − margin = "
              + limit
              + " tokens cannot hold the prompt: "
              + e.getMessage(),
          e);
    }
    return PasskeyPrompt.build(s.budgetChars(), s.depthChars(), key);
  }
}
