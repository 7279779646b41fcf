package io.github.longrope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import io.github.longrope.rope.RopeFrequencies;
import io.github.longrope.rope.RopeScaling;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The LLaMA-family decoder (batch 1, f32 or f16 ({@link Precision}), on the CPU or a GPU ({@link
 * Placement}) through DJL's PyTorch engine).
 *
 * <pre>{@code
 * try (Decoder model = Decoder.load(config, weights)) {
 *   double[] nll = model.nll(ids, config.ropeScaling(), 0);   // per-token losses
 *   int[] answer = model.generate(prompt, 10, scaling, KvCache.Policy.RECOMPUTE);
 * }
 * }</pre>
 *
 * <p>Memory stays linear in the sequence length apart from K/V: attention runs over query chunks of
 * {@link #attentionChunk} rows (each chunk sees keys [0, its end) with its own causal mask and
 * softmax), the MLP over chunks of {@link #MLP_ROWS} rows, and logits in chunks of {@link
 * #LOGITS_CHUNK} positions. Every call runs in an {@link NDScope} with nested scopes per layer and
 * per chunk, so no native memory outlives it. The RoPE variant is an argument, not model state: the
 * same weights evaluate any scaling.
 *
 * <p>In f16 the weights, the layers' activations and K/V are half precision, and what loses
 * accuracy there stays fp32: the residual stream between layers (every layer adds its f16 outputs
 * to it), the RMSNorm statistics, the attention softmax, the final norm and the logits (the f16
 * output matrix is widened in slices, see {@link OutputHead}, so logits are fp32 products, never
 * rounded to f16) and the log-softmax behind every loss; RoPE cos/sin come from double angles.
 * Measured on the bundled model (whose weights are f16 already, so only arithmetic differs) over
 * 4096 tokens: the mean per-token |Δnll| against f32 is 2.6e-3 with everything in f16 and 1.7e-3
 * with the fp32 residual stream and output. {@link MemoryPlan} says how much memory a call needs.
 */
public final class Decoder implements AutoCloseable {
  static final int LOGITS_CHUNK = OutputHead.ROWS;

  /**
   * Rows of a layer's MLP computed at once beyond this length. Its five {@code (n, intermediate)}
   * intermediates were the largest activations of a long forward (5.6 GiB of LLaMA-3-8B's at 16k in
   * f16); a row's MLP does not depend on other rows, so chunks are exact. Sequences up to this
   * length run unchunked, as before.
   */
  static final int MLP_ROWS = 4096;

  /** Query rows per attention chunk unless {@link #withAttentionChunk} says otherwise. */
  public static final int DEFAULT_ATTENTION_CHUNK = 512;

  private final ModelConfig config;
  private final NDManager manager;
  final DecoderWeights weights;
  private final Precision precision;
  private final Placement placement;
  private int attentionChunk = DEFAULT_ATTENTION_CHUNK;
  private int mlpRows = MLP_ROWS;

  private Decoder(
      ModelConfig config,
      NDManager manager,
      DecoderWeights weights,
      Precision precision,
      Placement placement) {
    this.config = config;
    this.manager = manager;
    this.weights = weights;
    this.precision = precision;
    this.placement = placement;
  }

  /** Loads and checks all weights in f32 on the default device ({@link Placement#AUTO}). */
  public static Decoder load(ModelConfig config, WeightSource source) {
    return load(config, source, Precision.F32, Placement.AUTO);
  }

  /**
   * Loads and checks all weights into a new native memory manager on {@code placement} (resolved: a
   * GPU this build or machine lacks is an {@link IllegalArgumentException}), stored in {@code
   * precision}; in f16 a weight beyond ±65504 is an error naming the tensor.
   */
  public static Decoder load(
      ModelConfig config, WeightSource source, Precision precision, Placement placement) {
    Placement where = placement.resolve();
    MemoryPlan least = MemoryGuard.beforeLoad(config, precision, where);
    NDManager m = NDManager.newBaseManager(where.device());
    try {
      return new Decoder(
          config, m, DecoderWeights.load(config, source, m, precision), precision, where);
    } catch (OutOfMemoryError | RuntimeException e) {
      m.close();
      if (e instanceof OutOfMemoryError || OutOfMemory.isAllocationFailure(e)) {
        throw OutOfMemory.whileLoading(least, where, e);
      }
      throw (RuntimeException) e;
    }
  }

  /** The dtype of the weights and activations. */
  public Precision precision() {
    return precision;
  }

  /** The concrete device the decoder lives on ({@code cpu} or {@code gpu:N}). */
  public Placement placement() {
    return placement;
  }

  public ModelConfig config() {
    return config;
  }

  /** Native arrays currently owned by this decoder (parameters, caches, anything leaked). */
  int liveArrays() {
    return ((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays().size();
  }

  /** The parameters as a weight source (names, shapes, current values), e.g. to save them. */
  public WeightSource weights() {
    return weights;
  }

  /**
   * The most query rows per attention chunk (memory ∝ heads × rows × keys); long sequences use
   * fewer so that a chunk's scores stay near 16 MB.
   */
  public int attentionChunk() {
    return attentionChunk;
  }

  public Decoder withAttentionChunk(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("attention chunk must be >= 1, got " + rows);
    }
    this.attentionChunk = rows;
    return this;
  }

  /** MLP rows per chunk (tests: a small value makes a short sequence take the chunked path). */
  Decoder withMlpRows(int rows) {
    this.mlpRows = rows;
    return this;
  }

  /** Logits {@code [T × vocab]} (row-major) for ids at positions 0..T−1. */
  public float[] logits(int[] ids, RopeScaling rope) {
    return logits(ids, rope, ids.length);
  }

  /**
   * Logits with the RoPE table of {@code tableLength} tokens instead of the sequence's own length
   * (what a {@link KvCache.Policy#FIXED} cache computes).
   */
  public float[] logits(int[] ids, RopeScaling rope, int tableLength) {
    checkIds(ids);
    return guarded(ids.length, -1, () -> logitsUnguarded(ids, rope, tableLength));
  }

  private float[] logitsUnguarded(int[] ids, RopeScaling rope, int tableLength) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      return OutputHead.all(
          hidden(ids, 0, rope, tableLength, null), weights.lmHead(), config.vocabSize());
    }
  }

  /**
   * Per-token negative log-likelihoods: element t − from is −log p(ids[t+1] | ids[0..t]) for t in
   * [from, T − 1). Full logits are never held for more than one chunk.
   */
  public double[] nll(int[] ids, RopeScaling rope, int from) {
    checkIds(ids);
    if (from < 0 || from >= ids.length - 1) {
      throw new IllegalArgumentException(
          "no targets: from=" + from + " for a sequence of " + ids.length + " tokens");
    }
    return guarded(ids.length, -1, () -> nllUnguarded(ids, rope, from));
  }

  private double[] nllUnguarded(int[] ids, RopeScaling rope, int from) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      return nllOf(hidden(ids, 0, rope, ids.length, null), ids, from);
    }
  }

  /** The losses of {@link #nll} from final-norm hidden states {@code h (T, hidden)}. */
  double[] nllOf(NDArray h, int[] ids, int from) {
    return OutputHead.nll(h, weights.lmHead(), ids, from);
  }

  /** A KV cache that recomputes when the RoPE table changes with length (HF semantics). */
  public KvCache newCache(RopeScaling rope) {
    return new KvCache(manager, config.numLayers(), rope, KvCache.Policy.RECOMPUTE, 0);
  }

  /** A KV cache whose RoPE table is fixed at the table for {@code maxLength} tokens. */
  public KvCache newFixedCache(RopeScaling rope, int maxLength) {
    return new KvCache(manager, config.numLayers(), rope, KvCache.Policy.FIXED, maxLength);
  }

  /**
   * Feeds tokens after those already in the cache and returns the logits of the last one. If the
   * new total length changes the RoPE table (a short/long switch, a dynamic variant), a {@link
   * KvCache.Policy#RECOMPUTE} cache is rebuilt from all its tokens first.
   */
  public float[] step(KvCache cache, int[] tokens) {
    checkIds(tokens);
    int total = cache.length() + tokens.length;
    if (cache.policy == KvCache.Policy.FIXED && total > cache.fixedLength) {
      throw new IllegalArgumentException(
          "a FIXED cache for " + cache.fixedLength + " tokens cannot take " + total);
    }
    int tableLength = cache.tableLength(total);
    return guarded(total, cache.length(), () -> stepUnguarded(cache, tokens, tableLength));
  }

  private float[] stepUnguarded(KvCache cache, int[] tokens, int tableLength) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      int start = cache.length();
      int[] feed = tokens;
      if (start > 0 && !cache.matches(tables(cache.scaling, tableLength))) {
        feed = concat(cache.tokens(), tokens);
        cache.reset();
        start = 0;
      }
      NDArray h;
      try {
        h = hidden(feed, start, cache.scaling, tableLength, cache);
      } catch (RuntimeException e) {
        cache.reset(); // some layers may have appended K/V: never attend to a half-updated cache
        throw e;
      }
      cache.appendTokens(feed);
      // an fp32 decoder's output matrix is its own weight: only an f16 one's widened copy is kept
      NDArray head =
          compute() == DataType.FLOAT32 ? outputMatrix() : cache.widenedHead(this::outputMatrix);
      return OutputHead.logits(h.get((feed.length - 1) + ":"), head).toFloatArray();
    }
  }

  /**
   * Greedy generation of up to {@code maxNew} tokens (stops after an EOS token). A {@link
   * KvCache.Policy#FIXED} cache takes the table of the longest length this call can reach.
   */
  public int[] generate(int[] prompt, int maxNew, RopeScaling rope, KvCache.Policy policy) {
    int[] out = new int[maxNew];
    int n = 0;
    try (KvCache cache =
        policy == KvCache.Policy.FIXED
            ? newFixedCache(rope, prompt.length + maxNew)
            : newCache(rope)) {
      float[] logits = step(cache, prompt);
      while (n < maxNew) {
        int next = argMax(logits);
        out[n++] = next;
        if (config.isEos(next) || n == maxNew) {
          break;
        }
        logits = step(cache, new int[] {next});
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** {@link MemoryGuard#run} with this decoder's settings. */
  <T> T guarded(int length, int cached, Supplier<T> body) {
    return MemoryGuard.run(config, precision, placement, attentionChunk, length, cached, body);
  }

  /** The index of the largest value (the first of ties): greedy decoding's next token. */
  public static int argMax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  RopeFrequencies[] tables(RopeScaling rope, int total) {
    RopeFrequencies[] t = new RopeFrequencies[config.numLayers()];
    for (int l = 0; l < t.length; l++) {
      t[l] = rope.layers() == 1 && l > 0 ? t[0] : rope.frequencies(config.rope(), total, l);
    }
    return t;
  }

  /**
   * Final-norm hidden states {@code (n, hidden)} of ids placed at positions [start, start + n),
   * under the RoPE tables for a total length of {@code tableLength}.
   */
  private NDArray hidden(int[] ids, int start, RopeScaling rope, int tableLength, KvCache cache) {
    RopeFrequencies[] tables = tables(rope, tableLength);
    NDArray x = embed(ids);
    Rotary.Table shared =
        Rotary.table(x.getManager(), tables[0], start, start + ids.length).as(compute());
    for (int l = 0; l < config.numLayers(); l++) {
      int layer = l;
      NDArray in = x;
      boolean own = tables[l] != tables[0]; // per-layer factors: a table for this layer only
      x =
          Scopes.keep(
              () -> {
                Rotary.Table table =
                    own
                        ? Rotary.table(in.getManager(), tables[layer], start, start + ids.length)
                            .as(compute())
                        : shared;
                return layer(layer, in, table, tables[layer], start, cache);
              });
      in.close(); // keep one layer's activations alive, not all of them (inference only)
    }
    return outputNorm(x);
  }

  /** The dtype the layers compute in (the residual stream and the output are fp32). */
  DataType compute() {
    return precision.dataType();
  }

  /** The final RMSNorm, in fp32 throughout (its gain included) since its rows meet fp32 logits. */
  NDArray outputNorm(NDArray x) {
    return rmsNorm(x, f32(weights.finalNorm()));
  }

  /**
   * The output matrix {@code (hidden, vocab)} in fp32: the weight itself in f32; in f16 a widened
   * copy, which a generation makes once ({@link KvCache#widenedHead}) and a forward never makes
   * whole ({@link OutputHead} widens slices).
   */
  NDArray outputMatrix() {
    return f32(weights.lmHead());
  }

  /** Token embeddings {@code (n, hidden)}: the start of the fp32 residual stream. */
  NDArray embed(int[] ids) {
    long[] longIds = Arrays.stream(ids).asLongStream().toArray();
    return f32(weights.embed().get(weights.embed().getManager().create(longIds)));
  }

  /** One decoder layer over x {@code (n, hidden)} at positions [start, start + n). */
  NDArray layer(
      int l, NDArray x, Rotary.Table table, RopeFrequencies freqs, int start, KvCache cache) {
    LayerWeights w = weights.layer(l);
    int hd = config.headDim();
    int d = config.rope().rotaryDim();
    NDArray h = rmsNorm(x, w.inputNorm());
    if (x.getShape().dimension() == 3) {
      return batchedLayer(w, x, h, table);
    }
    int n = (int) x.getShape().get(0);
    // (n, heads·hd) → (heads, n, hd)
    NDArray q = project(h, w.wq(), w.bq()).reshape(n, config.numHeads(), hd).transpose(1, 0, 2);
    NDArray k = project(h, w.wk(), w.bk()).reshape(n, config.numKvHeads(), hd).transpose(1, 0, 2);
    NDArray v = project(h, w.wv(), w.bv()).reshape(n, config.numKvHeads(), hd).transpose(1, 0, 2);
    q = Rotary.apply(q, table, d, hd);
    NDArray keys = Rotary.apply(k, table, d, hd);
    NDArray values = v;
    if (cache != null) {
      NDArray[] kv = cache.append(l, keys, v, freqs);
      keys = kv[0];
      values = kv[1];
    }
    NDArray attn = Attention.causal(q, keys, values, start, config, attentionChunk);
    return residualMlp(w, x, attn);
  }

  /**
   * The layer over a batch {@code (B, n, hidden)} of the same tokens under B RoPE tables ({@code
   * (B, 1, n, d)}, see {@link CandidateBatch}): the candidates become extra heads of one attention
   * call (queries {@code (B·heads, n, hd)}, keys {@code (B·kv, n, hd)}, so query head b·heads + j
   * meets key head b·kv + j/group), and every projection is one matmul over B·n rows.
   */
  private NDArray batchedLayer(LayerWeights w, NDArray x, NDArray h, Rotary.Table table) {
    long b = x.getShape().get(0);
    int n = (int) x.getShape().get(1);
    int hd = config.headDim();
    NDArray q = batchHeads(project(h, w.wq(), w.bq()), config.numHeads(), table);
    NDArray k = batchHeads(project(h, w.wk(), w.bk()), config.numKvHeads(), table);
    NDArray v = batchHeads(project(h, w.wv(), w.bv()), config.numKvHeads(), null);
    NDArray attn =
        Attention.causal(q, k, v, 0, config, attentionChunk) // (n, B·heads·hd)
            .reshape(n, b, (long) config.numHeads() * hd)
            .transpose(1, 0, 2);
    return residualMlp(w, x, attn);
  }

  /** {@code (B, n, count·hd)} → {@code (B·count, n, hd)}, rotated by {@code table} unless null. */
  private NDArray batchHeads(NDArray y, int count, Rotary.Table table) {
    long b = y.getShape().get(0);
    int n = (int) y.getShape().get(1);
    int hd = config.headDim();
    NDArray heads = y.reshape(b, n, count, hd).transpose(0, 2, 1, 3); // (B, count, n, hd)
    if (table != null) {
      heads = Rotary.apply(heads, table, config.rope().rotaryDim(), hd);
    }
    return heads.reshape(b * count, n, hd);
  }

  /**
   * The rest of a layer after attention, shared by every pass: x + attn·Wo, then the SwiGLU MLP on
   * its RMSNorm, added. {@code (n, hidden)} in and out ({@code (B, n, hidden)} for a batch); the
   * sums promote to the fp32 residual stream.
   */
  NDArray residualMlp(LayerWeights w, NDArray x, NDArray attn) {
    NDArray x2 = x.add(attn.matMul(w.wo()));
    long n = x2.getShape().get(0);
    if (x2.getShape().dimension() != 2 || n <= mlpRows) {
      return mlp(w, x2);
    }
    NDList parts = new NDList();
    for (long r = 0; r < n; r += mlpRows) {
      String rows = r + ":" + Math.min(n, r + mlpRows);
      parts.add(Scopes.keep(() -> mlp(w, x2.get(rows))));
    }
    NDArray out = NDArrays.concat(parts, 0);
    parts.close();
    return out;
  }

  /** x + SwiGLU(RMSNorm(x)) over rows of the fp32 residual stream. */
  private NDArray mlp(LayerWeights w, NDArray x) {
    NDArray h = rmsNorm(x, w.postNorm());
    NDArray gate = h.matMul(w.wGate());
    return x.add(gate.mul(Activation.sigmoid(gate)).mul(h.matMul(w.wUp())).matMul(w.wDown()));
  }

  /** x·W (+ bias when the checkpoint has one). */
  static NDArray project(NDArray x, NDArray w, NDArray bias) {
    NDArray y = x.matMul(w);
    return bias == null ? y : y.add(bias);
  }

  /**
   * RMSNorm as HF computes it: the mean of squares and the scaling in fp32, the result cast to the
   * gain's dtype (the compute dtype) before the gain (an f16 sum of squares overflows for |x| ≳ 256
   * / √hidden).
   */
  NDArray rmsNorm(NDArray x, NDArray gain) {
    NDArray x32 = f32(x);
    NDArray normed =
        x32.mul(
            x32.square()
                .mean(new int[] {-1}, true)
                .add((float) config.rmsNormEps())
                .pow(Scopes.scalar(x32, -0.5f)));
    return normed.toType(gain.getDataType(), false).mul(gain);
  }

  /** {@code a} as fp32 (itself when it already is). */
  static NDArray f32(NDArray a) {
    return a.toType(DataType.FLOAT32, false);
  }

  void checkIds(int[] ids) {
    if (ids.length == 0) {
      throw new IllegalArgumentException("empty token sequence");
    }
    for (int id : ids) {
      if (id < 0 || id >= config.vocabSize()) {
        throw new IllegalArgumentException(
            "token id " + id + " outside the vocabulary [0, " + config.vocabSize() + ")");
      }
    }
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
