package io.github.longrope.eval.mc;

import io.github.longrope.eval.TextCodec;
import io.github.longrope.model.Decoder;
import io.github.longrope.rope.RopeScaling;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

/**
 * Log-likelihood multiple choice in the style of the Open LLM benchmark (lm-evaluation-harness).
 *
 * <pre>{@code
 * List<McItem> items = McTask.ARC.read(Path.of("arc-challenge-test.jsonl"));
 * McResult r = new McEval(25, 1234, 0).run(model, rope, codec, items, null, null);
 * r.accuracy(); r.accuracyStderr(); r.accuracyNorm();
 * }</pre>
 *
 * <p>Per item the context is {@code description + shots + query}, each shot a solved example
 * ({@code query + " " + gold}) followed by a blank line; the k shots are drawn without replacement
 * from the shot pool (another file, or the other items of the same file), seeded per item. Each
 * choice is scored as the continuation {@code " " + choice}: tokens of {@code context +
 * continuation} beyond those of {@code context} (the harness's split; trailing spaces of the
 * context move to the continuation), with BOS prepended when the model has one. Its log-likelihood
 * is the sum of the token log-probabilities ({@link Decoder#nll}).
 *
 * <p>Metrics: {@code acc} — the highest sum log-likelihood is a correct choice; {@code acc_norm} —
 * the same after dividing by the choice's length in characters (the harness's length
 * normalisation); {@code p_true} — the softmax of the sums over the choices, mass on the correct
 * ones (TruthfulQA's MC2 score). Standard errors are those of a mean of 0/1 values: sqrt(p(1−p)/(n
 * − 1)).
 *
 * @param shots few-shot examples per item (0 = zero-shot)
 * @param seed few-shot sampling seed
 * @param limit evaluate only the first {@code limit} items (≤ 0: all)
 */
public record McEval(int shots, long seed, int limit) {
  public McEval {
    if (shots < 0) {
      throw new IllegalArgumentException("shots must be >= 0, got " + shots);
    }
  }

  /** Zero-shot, all items. */
  public static McEval zeroShot() {
    return new McEval(0, 1234, 0);
  }

  /** Progress over forwards: one per choice. */
  public interface Listener {
    void choiceDone(int done, int total);
  }

  /**
   * The scores of one item.
   *
   * @param logLikelihoods sum log-probability of each choice's continuation tokens
   * @param tokens continuation tokens per choice
   * @param contextTokens tokens of the context (BOS not counted)
   */
  public record ItemScore(
      McItem item,
      double[] logLikelihoods,
      int[] tokens,
      int contextTokens,
      int predicted,
      int predictedNorm,
      double pTrue) {
    public boolean correct() {
      return item.correct().contains(predicted);
    }

    public boolean correctNorm() {
      return item.correct().contains(predictedNorm);
    }
  }

  /** The items this run evaluates. */
  public List<McItem> selected(List<McItem> items) {
    return limit > 0 && limit < items.size() ? items.subList(0, limit) : items;
  }

  /** Forwards {@link #run} makes. */
  public int forwards(List<McItem> items) {
    return selected(items).stream().mapToInt(i -> i.choices().size()).sum();
  }

  /**
   * Scores every item.
   *
   * @param shotPool where few-shot examples come from; null = the other items of {@code items}
   * @param listener may be null
   */
  public McResult run(
      Decoder model,
      RopeScaling rope,
      TextCodec codec,
      List<McItem> items,
      List<McItem> shotPool,
      Listener listener) {
    long t0 = System.nanoTime();
    List<McItem> chosen = selected(items);
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("no items to evaluate");
    }
    int total = forwards(items);
    int done = 0;
    List<ItemScore> scores = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CancellationException("cancelled after " + i + " of " + chosen.size() + " items");
      }
      McItem item = chosen.get(i);
      String context = context(item, i, items, shotPool);
      double[] ll = new double[item.choices().size()];
      int[] tok = new int[ll.length];
      int contextTokens = 0;
      for (int c = 0; c < ll.length; c++) {
        Scored s = score(model, rope, codec, context, " " + item.choices().get(c), item.id());
        ll[c] = s.logLikelihood;
        tok[c] = s.tokens;
        contextTokens = s.contextTokens;
        done++;
        if (listener != null) {
          listener.choiceDone(done, total);
        }
      }
      scores.add(itemScore(item, ll, tok, contextTokens));
    }
    return McResult.of(scores, shots, (System.nanoTime() - t0) / 1e9);
  }

  /** The context of item {@code index}: description, solved shots, query. */
  public String context(McItem item, int index, List<McItem> items, List<McItem> shotPool) {
    StringBuilder sb = new StringBuilder(item.description());
    if (shots > 0) {
      List<McItem> pool = new ArrayList<>(shotPool != null ? shotPool : items);
      if (shotPool == null) {
        pool.remove(index);
      }
      if (pool.size() < shots) {
        throw new IllegalArgumentException(
            shots + " shots requested but the shot pool has only " + pool.size() + " items");
      }
      SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + index);
      for (int k = 0; k < shots; k++) {
        int j = k + rng.nextInt(pool.size() - k); // partial Fisher-Yates: k distinct draws
        McItem shot = pool.get(j);
        pool.set(j, pool.get(k));
        pool.set(k, shot);
        sb.append(shot.solved()).append("\n\n");
      }
    }
    return sb.append(item.query()).toString();
  }

  private record Scored(double logLikelihood, int tokens, int contextTokens) {}

  /** Sum log-probability of {@code continuation} after {@code context}. */
  static Scored score(
      Decoder model,
      RopeScaling rope,
      TextCodec codec,
      String context,
      String continuation,
      String id) {
    Split split = split(codec, context, continuation);
    int ctxLen = split.contextTokens();
    int[] whole = split.tokens();
    int bos = model.config().bosTokenId();
    int offset = bos >= 0 ? 1 : 0;
    int[] ids = new int[offset + whole.length];
    if (bos >= 0) {
      ids[0] = bos;
    }
    System.arraycopy(whole, 0, ids, offset, whole.length);
    int from = offset + ctxLen - 1;
    if (whole.length - ctxLen < 1) {
      throw new IllegalArgumentException(id + ": a choice encodes to no tokens after its context");
    }
    if (from < 0) {
      throw new IllegalArgumentException(
          id + ": an empty context needs a BOS token to predict the first choice token");
    }
    double sum = 0;
    for (double v : model.nll(ids, rope, from)) {
      sum -= v;
    }
    return new Scored(sum, whole.length - ctxLen, ctxLen);
  }

  /** Tokens of context + continuation; those from {@code contextTokens} on are the continuation. */
  public record Split(int contextTokens, int[] tokens) {}

  /**
   * The harness's tokenisation: {@code tokens = encode(context + continuation)}, {@code
   * contextTokens = |encode(context)|}, after moving trailing spaces of the context to the
   * continuation.
   */
  public static Split split(TextCodec codec, String context, String continuation) {
    int trailing = context.length() - context.stripTrailing().length();
    if (trailing > 0) {
      continuation = context.substring(context.length() - trailing) + continuation;
      context = context.substring(0, context.length() - trailing);
    }
    int n = context.isEmpty() ? 0 : codec.encode(context).length;
    int[] whole = codec.encode(context + continuation);
    return new Split(Math.min(n, whole.length), whole);
  }

  static ItemScore itemScore(McItem item, double[] ll, int[] tokens, int contextTokens) {
    int best = 0;
    int bestNorm = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < ll.length; c++) {
      if (ll[c] > ll[best]) {
        best = c;
      }
      double norm = ll[c] / item.choices().get(c).length();
      double bestN = ll[bestNorm] / item.choices().get(bestNorm).length();
      if (norm > bestN) {
        bestNorm = c;
      }
      max = Math.max(max, ll[c]);
    }
    double all = 0;
    double truth = 0;
    for (int c = 0; c < ll.length; c++) {
      double p = Math.exp(ll[c] - max);
      all += p;
      if (item.correct().contains(c)) {
        truth += p;
      }
    }
    return new ItemScore(
        item, ll.clone(), tokens.clone(), contextTokens, best, bestNorm, truth / all);
  }
}
