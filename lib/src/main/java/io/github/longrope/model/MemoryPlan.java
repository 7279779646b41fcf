package io.github.longrope.model;

import java.util.Locale;

/**
 * The memory a decoder call needs, from the config alone (no weights loaded): what {@link Decoder}
 * holds at its peak for one sequence of {@code length} tokens, in bytes, so that a run can be sized
 * before it starts and refused when it cannot fit.
 *
 * <p>The numbers follow the decoder's own allocation pattern rather than an idealised model: DJL
 * has no reference counting, so every intermediate of a layer lives until the layer's scope closes
 * (up to 4096 tokens the MLP's five {@code (n, intermediate)} arrays dominate; beyond, the MLP runs
 * over chunks of 4096 rows), the attention chunk's scores exist once in the compute dtype and twice
 * in fp32 (cast, softmax), and logits are made 256 rows at a time. Three phases can peak: the last
 * layer's attention (its K/V, what exists before the MLP, one chunk of scores, which is freed
 * before the MLP allocates), the end of its MLP (its K/V and all its activations), and the logits
 * after it (final norm, one logits chunk); the total is the largest plus the weights. {@code bench
 * memory} measures the same quantities as resident memory on the CPU.
 *
 * <pre>{@code
 * MemoryPlan p = MemoryPlan.of(config, 32768, Precision.F16, 512, false);
 * long fits = MemoryPlan.largestLength(config, Precision.F16, 512, false, 80L << 30);
 * }</pre>
 *
 * @param weights every parameter in the compute dtype
 * @param kv K and V: the current layer's in a forward, every layer's with a KV cache
 * @param activations a layer's intermediates besides K/V, the residual stream and the RoPE tables
 * @param attentionScores one attention chunk: scores, their fp32 copies and mask
 * @param logits one chunk of fp32 logits and their log-softmax (in f16 with the fp32 copy of the
 *     output matrix)
 * @param total bytes at the peak: weights plus the largest of the three phases
 * @param chunkRows query rows per attention chunk at this length (after the ~16 MB shrink)
 */
public record MemoryPlan(
    ModelConfig config,
    int length,
    Precision precision,
    int attentionChunk,
    boolean kvCache,
    long weights,
    long kv,
    long activations,
    long attentionScores,
    long logits,
    long total,
    int chunkRows) {

  /** Plans a forward over {@code length} tokens ({@code kvCache}: a generation that caches K/V). */
  public static MemoryPlan of(
      ModelConfig c, int length, Precision precision, int attentionChunk, boolean kvCache) {
    if (length < 1) {
      throw new IllegalArgumentException("length must be >= 1, got " + length);
    }
    if (attentionChunk < 1) {
      throw new IllegalArgumentException("attention chunk must be >= 1, got " + attentionChunk);
    }
    long n = length;
    long b = precision.bytes();
    long f = 4; // fp32
    long h = c.hiddenSize();
    long qd = (long) c.numHeads() * c.headDim();
    long kvd = (long) c.numKvHeads() * c.headDim();
    long ffn = c.intermediateSize();
    long rq = (long) c.numHeads() * c.rope().rotaryDim();
    long rk = (long) c.numKvHeads() * c.rope().rotaryDim();
    boolean partial = c.rope().rotaryDim() < c.headDim();

    long weights = 0;
    for (DecoderWeights.Expected e : DecoderWeights.expected(c).values()) {
      long size = 1;
      for (long s : e.shape()) {
        size *= s;
      }
      weights += size * b;
    }

    // RMSNorm per token of the fp32 residual: square and normed rows, the cast to the compute dtype
    // (f16 only), the gain
    long rms = 2 * f * h + (b < f ? b * h : 0) + b * h;
    // one layer's intermediates per token up to the MLP (see Decoder.layer), K/V counted apart
    long perToken =
        rms
            + b * (qd + 2 * kvd) // q, k, v projections
            + (c.qkvBias() ? b * (qd + 2 * kvd) : 0)
            + b * (rq * 4 + rq / 2) // rotate-half of q: x·cos, −x2, concat, ·sin, sum
            + b * (rk * 3 + rk / 2) // of k, less the rotated keys (in kv)
            + (partial ? b * (qd + kvd) : 0) // pass-through dims concatenated back
            + 2 * b * qd; // q·1/√d, the chunks' outputs
    int rows = Attention.rowsPerChunk(attentionChunk, c.numHeads(), length);
    boolean chunked = rows < length;
    if (chunked) {
      perToken += b * qd; // the concatenated chunk outputs
    }
    long beforeMlp = perToken; // what exists while the attention chunks run
    perToken += (b + f) * h; // o_proj, residual add (fp32)
    // the MLP's per row: its RMSNorm, gate, sigmoid, gate·σ, up, product, down_proj, residual add
    long mlpPerRow = rms + 5 * b * ffn + (b + f) * h;
    long residual = f * h; // the layer's input, the fp32 residual stream
    long ropeTables = (f + b) * 2 * c.rope().rotaryDim() + f * c.rope().rotaryDim();
    long activations =
        length <= Decoder.MLP_ROWS
            ? n * (perToken + mlpPerRow + residual + ropeTables)
            // beyond MLP_ROWS, one chunk's MLP at a time; its outputs and their concatenation
            : n * (perToken + 2 * f * h + residual + ropeTables) + Decoder.MLP_ROWS * mlpPerRow;

    long kvLayer = n * 2 * kvd * b;
    long kv = kvCache ? kvLayer * c.numLayers() : kvLayer;

    long tc = Math.min(rows, length);
    long scoreCell = b + (b < f ? f : 0) + f + (b < f ? b : 0); // product, fp32 copy, softmax, cast
    long attentionScores =
        (long) c.numHeads() * tc * n * scoreCell
            + (long) c.numHeads() * tc * tc * f // masked diagonal block
            + tc * tc * 3 * f // the mask itself
            + tc * qd * 3 * b; // query rows, output, its transposed copy

    long logitRows = Math.min(Decoder.LOGITS_CHUNK, length);
    // fp32 logits in any dtype: the product and its log-softmax; in f16 a forward widens one slice
    // of the output matrix at a time, a generation keeps one widened copy (OutputHead)
    long widened = kvCache ? c.vocabSize() : Math.min(c.vocabSize(), OutputHead.VOCAB_SLICE);
    long logits = logitRows * c.vocabSize() * 2 * f + (b < f ? widened * h * f : 0);
    long finalPhase = n * (residual + rms) + logits + (kvCache ? kv : 0);
    // a chunk's scores are freed before o_proj and the MLP allocate: the layer peaks either during
    // attention (what exists before the MLP, plus one chunk of scores) or at the MLP's end
    long duringAttention = n * (beforeMlp + residual + ropeTables) + attentionScores;
    long layerPhase = kv + Math.max(duringAttention, activations);
    long total = weights + Math.max(layerPhase, finalPhase);
    return new MemoryPlan(
        c,
        length,
        precision,
        attentionChunk,
        kvCache,
        weights,
        kv,
        activations,
        attentionScores,
        logits,
        total,
        (int) tc);
  }

  /**
   * The longest sequence whose plan fits {@code memory} bytes, or 0 when not even one token does
   * (the weights alone are too large).
   */
  public static int largestLength(
      ModelConfig c, Precision precision, int attentionChunk, boolean kvCache, long memory) {
    if (of(c, 1, precision, attentionChunk, kvCache).total() > memory) {
      return 0;
    }
    int lo = 1;
    int hi = 1 << 30;
    if (of(c, hi, precision, attentionChunk, kvCache).total() <= memory) {
      return hi;
    }
    while (hi - lo > 1) {
      int mid = lo + (hi - lo) / 2;
      if (of(c, mid, precision, attentionChunk, kvCache).total() <= memory) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** True when the plan fits {@code memory} bytes. */
  public boolean fits(long memory) {
    return total <= memory;
  }

  /**
   * The refusal a run gives when the plan does not fit: the numbers, and what to change (a shorter
   * length, f16, or the largest length that fits).
   */
  public String refusal(long memory) {
    int longest = largestLength(config, precision, attentionChunk, kvCache, memory);
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%d tokens in %s need %s (weights %s, K/V %s, activations %s, attention chunk %s,"
                + " logits %s) but %s is available",
            length,
            precision,
            bytes(total),
            bytes(weights),
            bytes(kv),
            bytes(activations),
            bytes(attentionScores),
            bytes(logits),
            bytes(memory)));
    if (longest == 0) {
      sb.append("; the weights alone do not fit");
    } else {
      sb.append("; the longest length that fits is ").append(longest);
    }
    if (precision == Precision.F32) {
      int half = largestLength(config, Precision.F16, attentionChunk, kvCache, memory);
      sb.append(" (").append(half).append(" in f16)");
    }
    return sb.toString();
  }

  /** Bytes as {@code 12.3 GiB} / {@code 456.7 MiB} / {@code 8.0 KiB}. */
  public static String bytes(long n) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = 0;
    while (Math.abs(v) >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /**
   * Parses a memory size: {@code 80GiB}, {@code 80G} (GiB), {@code 80GB} (10⁹), {@code 512MiB}, or
   * plain bytes.
   */
  public static long parseBytes(String s) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([a-zA-Z]*)\\s*")
            .matcher(s == null ? "" : s);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "memory size '" + s + "' is not a number with a unit (e.g. 80GiB, 24GB, 512MiB)");
    }
    double v = Double.parseDouble(m.group(1));
    double scale =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "", "b" -> 1;
          case "k", "kib" -> 1L << 10;
          case "m", "mib" -> 1L << 20;
          case "g", "gib" -> 1L << 30;
          case "t", "tib" -> 1L << 40;
          case "kb" -> 1e3;
          case "mb" -> 1e6;
          case "gb" -> 1e9;
          case "tb" -> 1e12;
          default ->
              throw new IllegalArgumentException(
                  "memory size '" + s + "': unknown unit '" + m.group(2) + "' (GiB, GB, MiB, MB)");
        };
    return (long) (v * scale);
  }
}
