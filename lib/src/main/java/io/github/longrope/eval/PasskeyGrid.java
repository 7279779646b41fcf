package io.github.longrope.eval;

import io.github.longrope.data.PasskeyMixture;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.KvCache;
import io.github.longrope.rope.RopeScaling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Passkey retrieval over context lengths × needle depths × trials (docs/method.md, "Passkey
 * retrieval" and "Passkey heat map").
 *
 * <pre>{@code
 * PasskeyGrid grid = PasskeyGrid.of(List.of(256, 512, 1024), 10, 10); // 10 depths 0%..100%
 * PasskeyGrid.Result r = grid.run(model, rope, TextCodec.of(tokenizer), null);
 * Table cells = r.table();   // length, depth (%), trials, correct, accuracy, prompt_tokens
 * }</pre>
 *
 * <p>Each trial is the official protocol: the 5-line prompt of {@link PasskeyPrompt} for a target
 * length (3.65 characters per token), BOS prepended when the model has one, greedy generation of up
 * to {@code maxNewTokens} (10) new tokens with the KV cache ({@link Decoder#generate}), the first
 * integer of the decoded continuation compared with the key.
 *
 * <p>Depths: an empty list is the official random mode (the needle at a character depth uniform in
 * [0, budget], RNG order depth then key, the RNG reset to {@code seed} before each length, as the
 * official code resets to 42); otherwise the needle sits at {@code round(depth·budget)} characters
 * and the RNG, reset to {@code seed} before each cell, draws only the keys, so every cell sees the
 * same keys and cells differ only in where the needle is.
 *
 * <p>Sizing: {@link Sizing#OFFICIAL} sizes the filler at 3.65 characters per token, as the official
 * code does, so a "256" prompt is as long as the tokenizer makes it (about 320 tokens with this
 * project's 32k vocabulary). {@link Sizing#FIT} sizes it by tokens instead: the filler is the
 * longest for which BOS + prompt + the answer " K." fit the length exactly (bisection, the same as
 * the training mixture's, {@code data.PasskeyMixture#fit}); in random mode the depth is then a
 * fraction u uniform in [0, 1) drawn before the key. FIT is the in-window retrieval test of a model
 * trained at that length.
 *
 * <p>Cancellation: the running thread's interrupt flag is checked between trials; a set flag ends
 * the run with a {@link CancellationException} (the flag stays set).
 *
 * @param lengths target context lengths in tokens
 * @param depths needle depths as fractions in [0, 1]; empty = official random depth
 * @param trials prompts per cell
 * @param seed RNG seed (the official code uses 42)
 * @param maxNewTokens generated tokens per answer (official 10)
 * @param policy KV-cache policy for the RoPE table ({@link KvCache.Policy#RECOMPUTE}: HF semantics)
 * @param sizing how a target length becomes a filler length
 */
public record PasskeyGrid(
    List<Integer> lengths,
    List<Double> depths,
    int trials,
    long seed,
    int maxNewTokens,
    KvCache.Policy policy,
    Sizing sizing) {

  /** How a target length in tokens becomes a prompt (see the class comment). */
  public enum Sizing {
    /** 3.65 characters of filler per target token (official). */
    OFFICIAL,
    /** The longest filler whose BOS + prompt + answer fit the target length. */
    FIT
  }

  /** The official seed. */
  public static final long SEED = 42;

  /** The official answer budget. */
  public static final int MAX_NEW_TOKENS = 10;

  public PasskeyGrid {
    Objects.requireNonNull(lengths, "lengths");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(sizing, "sizing");
    lengths = List.copyOf(lengths);
    depths = depths == null ? List.of() : List.copyOf(depths);
    if (lengths.isEmpty()) {
      throw new IllegalArgumentException("passkey: give at least one length");
    }
    for (int l : lengths) {
      if (l < 1) {
        throw new IllegalArgumentException("passkey: lengths must be >= 1 token, got " + l);
      }
    }
    for (double d : depths) {
      if (!(d >= 0 && d <= 1)) {
        throw new IllegalArgumentException("passkey: depths must be in [0, 1], got " + d);
      }
    }
    if (trials < 1) {
      throw new IllegalArgumentException("passkey: trials must be >= 1, got " + trials);
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException(
          "passkey: max new tokens must be >= 1, got " + maxNewTokens);
    }
  }

  /** A grid with the official prompt sizing. */
  public PasskeyGrid(
      List<Integer> lengths,
      List<Double> depths,
      int trials,
      long seed,
      int maxNewTokens,
      KvCache.Policy policy) {
    this(lengths, depths, trials, seed, maxNewTokens, policy, Sizing.OFFICIAL);
  }

  /**
   * A grid with {@code depthCount} evenly spaced depths (0 = official random depth), the official
   * seed and answer budget, and the recompute policy.
   */
  public static PasskeyGrid of(List<Integer> lengths, int depthCount, int trials) {
    return new PasskeyGrid(
        lengths, evenDepths(depthCount), trials, SEED, MAX_NEW_TOKENS, KvCache.Policy.RECOMPUTE);
  }

  /** n depths evenly spaced from 0 to 1 inclusive (n = 1: the middle; n = 0: none). */
  public static List<Double> evenDepths(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("passkey: depth count must be >= 0, got " + n);
    }
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(n == 1 ? 0.5 : (double) i / (n - 1));
    }
    return out;
  }

  public PasskeyGrid withSeed(long s) {
    return new PasskeyGrid(lengths, depths, trials, s, maxNewTokens, policy, sizing);
  }

  public PasskeyGrid withPolicy(KvCache.Policy p) {
    return new PasskeyGrid(lengths, depths, trials, seed, maxNewTokens, p, sizing);
  }

  public PasskeyGrid withMaxNewTokens(int n) {
    return new PasskeyGrid(lengths, depths, trials, seed, n, policy, sizing);
  }

  public PasskeyGrid withSizing(Sizing z) {
    return new PasskeyGrid(lengths, depths, trials, seed, maxNewTokens, policy, z);
  }

  /** True in the official mode (random depth per trial). */
  public boolean randomDepth() {
    return depths.isEmpty();
  }

  /** Trials the run will make. */
  public int totalTrials() {
    return lengths.size() * Math.max(1, depths.size()) * trials;
  }

  /**
   * One trial.
   *
   * @param length target length (tokens)
   * @param depth the requested depth fraction, or NaN in random mode
   * @param index trial number within its cell
   * @param prompt the prompt (its {@link PasskeyPrompt#depth()} is the actual depth)
   * @param promptTokens tokens fed to the model (BOS included)
   * @param answerText decoded continuation
   * @param answer first integer of the continuation, -1 if none
   */
  public record Trial(
      int length,
      double depth,
      int index,
      PasskeyPrompt prompt,
      int promptTokens,
      String answerText,
      long answer,
      boolean correct,
      double seconds) {}

  /** Progress: trials done of total, with the trial just finished. */
  public interface Listener {
    void trialDone(int done, int total, Trial trial);
  }

  /** All trials, in order (length, then depth, then trial). */
  public record Result(PasskeyGrid grid, List<Trial> trials) {
    public Result {
      trials = List.copyOf(trials);
    }

    /** Accuracy over all trials. */
    public double accuracy() {
      return trials.stream().filter(Trial::correct).count() / (double) trials.size();
    }

    /** One row per cell; see {@link PasskeyGrid#table(List)}. */
    public Table table() {
      return PasskeyGrid.table(trials);
    }
  }

  /**
   * One row per (length, depth) cell in trial order: {@code length}, {@code depth} (percent;
   * missing in random mode), {@code trials}, {@code correct}, {@code accuracy}, {@code
   * prompt_tokens} (mean tokens fed, BOS included).
   */
  public static Table table(List<Trial> trials) {
    Map<List<Double>, int[]> counts = new LinkedHashMap<>();
    Map<List<Double>, Long> tokens = new LinkedHashMap<>();
    for (Trial t : trials) {
      List<Double> key = List.of((double) t.length(), t.depth());
      int[] c = counts.computeIfAbsent(key, k -> new int[2]);
      c[0]++;
      c[1] += t.correct() ? 1 : 0;
      tokens.merge(key, (long) t.promptTokens(), Long::sum);
    }
    IntColumn length = IntColumn.create("length");
    DoubleColumn depth = DoubleColumn.create("depth");
    IntColumn n = IntColumn.create("trials");
    IntColumn correct = IntColumn.create("correct");
    DoubleColumn accuracy = DoubleColumn.create("accuracy");
    DoubleColumn promptTokens = DoubleColumn.create("prompt_tokens");
    for (Map.Entry<List<Double>, int[]> e : counts.entrySet()) {
      length.append(e.getKey().get(0).intValue());
      double d = e.getKey().get(1);
      if (Double.isNaN(d)) {
        depth.appendMissing();
      } else {
        depth.append(Math.round(d * 100 * 1e6) / 1e6);
      }
      n.append(e.getValue()[0]);
      correct.append(e.getValue()[1]);
      accuracy.append(e.getValue()[1] / (double) e.getValue()[0]);
      promptTokens.append(tokens.get(e.getKey()) / (double) e.getValue()[0]);
    }
    return Table.create("passkey", length, depth, n, correct, accuracy, promptTokens);
  }

  /** Runs every trial; {@code listener} may be null. */
  public Result run(Decoder model, RopeScaling rope, TextCodec codec, Listener listener) {
    List<Trial> out = new ArrayList<>();
    int total = totalTrials();
    for (int length : lengths) {
      if (randomDepth()) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < trials; i++) {
          checkCancelled(out.size(), total);
          PasskeyPrompt p =
              sizing == Sizing.FIT
                  ? fitted(model, codec, length, rng.nextDouble(), rng)
                  : PasskeyPrompt.generate(length, rng);
          out.add(trial(model, rope, codec, p, length, Double.NaN, i));
          notify(listener, out, total);
        }
      } else {
        for (double depth : depths) {
          SplittableRandom rng = new SplittableRandom(seed);
          for (int i = 0; i < trials; i++) {
            checkCancelled(out.size(), total);
            PasskeyPrompt p =
                sizing == Sizing.FIT
                    ? fitted(model, codec, length, depth, rng)
                    : PasskeyPrompt.atDepth(length, depth, rng);
            out.add(trial(model, rope, codec, p, length, depth, i));
            notify(listener, out, total);
          }
        }
      }
    }
    return new Result(this, out);
  }

  /** A prompt whose BOS + text + answer fill {@code length} tokens; the key drawn from rng. */
  static PasskeyPrompt fitted(
      Decoder model, TextCodec codec, int length, double depth, SplittableRandom rng) {
    int key = PasskeyPrompt.drawKey(rng);
    int max = model.config().bosTokenId() >= 0 ? length - 1 : length;
    PasskeyMixture.Sample s;
    try {
      s = PasskeyMixture.fit(PasskeyPrompt.TEMPLATE, codec::encode, max, depth, key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "passkey: length " + length + " cannot hold a fitted prompt: " + e.getMessage(), e);
    }
    return PasskeyPrompt.build(s.budgetChars(), s.depthChars(), key);
  }

  /** One prompt through the model: encode, generate greedily with the cache, score. */
  public Trial trial(
      Decoder model,
      RopeScaling rope,
      TextCodec codec,
      PasskeyPrompt prompt,
      int length,
      double depth,
      int index) {
    long t0 = System.nanoTime();
    int[] ids = codec.encodeWithBos(prompt.text(), model.config().bosTokenId());
    int[] generated = model.generate(ids, maxNewTokens, rope, policy);
    String text = codec.decode(generated);
    long answer = PasskeyPrompt.answer(text);
    return new Trial(
        length,
        depth,
        index,
        prompt,
        ids.length,
        text,
        answer,
        answer == prompt.passkey(),
        (System.nanoTime() - t0) / 1e9);
  }

  private static void notify(Listener listener, List<Trial> done, int total) {
    if (listener != null) {
      listener.trialDone(done.size(), total, done.get(done.size() - 1));
    }
  }

  static void checkCancelled(int done, int total) {
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("cancelled after " + done + " of " + total + " trials");
    }
  }
}
