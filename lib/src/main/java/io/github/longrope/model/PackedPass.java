package io.github.longrope.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.longrope.rope.RopeFrequencies;
import io.github.longrope.rope.RopeScaling;
import java.nio.FloatBuffer;

/**
 * Several documents packed into one sequence, each attending only to itself (LongRoPE2's mixed
 * context window training: short documents keep the original RoPE and are packed into long
 * sequences). The mask is block-diagonal causal: token i sees token j iff both lie in the same
 * document and j ≤ i; positions restart at 0 in every document, and a document's last token
 * predicts nothing (the next token belongs to another document). The result is exactly what each
 * document run alone gives, which is what makes packing safe; the tests hold it to that.
 *
 * <p>The layer is {@link Decoder}'s (same weights, same operations) with the attention replaced by
 * a block-diagonal one; it lives here so that the inference path stays untouched. Attention runs
 * over query chunks as {@link Attention} does; a chunk reads only keys from the first document it
 * touches onwards, so short documents cost little beyond their own blocks.
 *
 * <p>Like {@link TrainingPass}, gradients accumulate across calls until the optimizer zeroes them.
 */
public final class PackedPass {
  private PackedPass() {}

  /** Rows of logits per chunk in {@link #nll}. */
  private static final int LOGITS_CHUNK = 256;

  /**
   * Per-token negative log-likelihoods of every prediction inside a document, document after
   * document: for a document of m tokens, m − 1 values −log p(t+1 | its document's tokens ≤ t).
   *
   * @param starts the index of every document's first token: starts[0] = 0, strictly increasing
   */
  public static double[] nll(Decoder d, int[] ids, int[] starts, RopeScaling rope) {
    Layout layout = Layout.of(d, ids, starts);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray h = d.outputNorm(hidden(d, ids, layout, rope));
      int[] rows = layout.rows;
      double[] out = new double[rows.length];
      for (int c = 0; c < rows.length; c += LOGITS_CHUNK) {
        int e = Math.min(rows.length, c + LOGITS_CHUNK);
        long[] r = new long[e - c];
        long[] targets = new long[e - c];
        for (int t = c; t < e; t++) {
          r[t - c] = rows[t];
          targets[t - c] = ids[rows[t] + 1];
        }
        NDManager m = h.getManager();
        float[] part =
            Scopes.keep(
                    () ->
                        h.get(m.create(r))
                            .matMul(d.outputMatrix())
                            .logSoftmax(-1)
                            .gather(m.create(targets).expandDims(-1), -1)
                            .neg())
                .toFloatArray();
        for (int t = 0; t < part.length; t++) {
          out[c + t] = part[t];
        }
      }
      return out;
    }
  }

  /**
   * Accumulates {@code scale × ∂loss/∂θ} into every parameter's gradient and returns the loss: the
   * mean NLL over every prediction inside a document (those {@link #nll} lists).
   */
  public static double backward(Decoder d, int[] ids, int[] starts, RopeScaling rope, float scale) {
    Layout layout = Layout.of(d, ids, starts);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray x = hidden(d, ids, layout, rope);
      NDManager m = x.getManager();
      long[] rows = new long[layout.rows.length];
      long[] targets = new long[rows.length];
      for (int t = 0; t < rows.length; t++) {
        rows[t] = layout.rows[t];
        targets[t] = ids[layout.rows[t] + 1];
      }
      NDArray loss =
          d.outputNorm(x.get(m.create(rows)))
              .matMul(d.outputMatrix())
              .logSoftmax(-1)
              .gather(m.create(targets).expandDims(-1), -1)
              .mean()
              .neg();
      gc.backward(loss.mul(scale));
      return loss.getFloat();
    }
  }

  /** Which document each token is in, its position there, and the rows that predict a token. */
  private record Layout(int[] doc, int[] first, int[] positions, int[] rows) {
    static Layout of(Decoder d, int[] ids, int[] starts) {
      d.checkIds(ids);
      int n = ids.length;
      if (starts == null || starts.length == 0 || starts[0] != 0) {
        throw new IllegalArgumentException("document starts must begin with 0");
      }
      for (int k = 1; k < starts.length; k++) {
        if (starts[k] <= starts[k - 1] || starts[k] >= n) {
          throw new IllegalArgumentException(
              "document starts must increase strictly inside [0, "
                  + n
                  + "), got "
                  + java.util.Arrays.toString(starts));
        }
      }
      int[] doc = new int[n];
      int[] first = new int[n];
      int[] pos = new int[n];
      int[] rows = new int[n - starts.length];
      int r = 0;
      for (int k = 0; k < starts.length; k++) {
        int end = k + 1 < starts.length ? starts[k + 1] : n;
        for (int t = starts[k]; t < end; t++) {
          doc[t] = k;
          first[t] = starts[k];
          pos[t] = t - starts[k];
          if (t + 1 < end) {
            rows[r++] = t;
          }
        }
      }
      if (rows.length == 0) {
        throw new IllegalArgumentException("no document has 2 or more tokens: nothing to predict");
      }
      return new Layout(doc, first, pos, rows);
    }

    int maxPosition() {
      int max = 0;
      for (int p : positions) {
        max = Math.max(max, p);
      }
      return max;
    }
  }

  /** The last layer's output {@code (n, hidden)} (before the final norm). */
  private static NDArray hidden(Decoder d, int[] ids, Layout layout, RopeScaling rope) {
    RopeFrequencies[] tables = d.tables(rope, layout.maxPosition() + 1);
    NDArray x = d.embed(ids);
    for (int l = 0; l < tables.length; l++) {
      Rotary.Table table = Rotary.table(x.getManager(), tables[l], layout.positions);
      x = layer(d, l, x, table, layout);
    }
    return x;
  }

  /** {@link Decoder}'s layer with block-diagonal causal attention. */
  private static NDArray layer(Decoder d, int l, NDArray x, Rotary.Table table, Layout layout) {
    ModelConfig c = d.config();
    LayerWeights w = d.weights.layer(l);
    int n = (int) x.getShape().get(0);
    int hd = c.headDim();
    NDArray h = d.rmsNorm(x, w.inputNorm());
    // (n, heads·hd) → (heads, n, hd)
    NDArray q = Decoder.project(h, w.wq(), w.bq()).reshape(n, c.numHeads(), hd).transpose(1, 0, 2);
    NDArray k =
        Decoder.project(h, w.wk(), w.bk()).reshape(n, c.numKvHeads(), hd).transpose(1, 0, 2);
    NDArray v =
        Decoder.project(h, w.wv(), w.bv()).reshape(n, c.numKvHeads(), hd).transpose(1, 0, 2);
    q = Rotary.apply(q, table, c.rope().rotaryDim(), hd);
    k = Rotary.apply(k, table, c.rope().rotaryDim(), hd);
    NDArray attn = attention(q, k, v, layout, c, d.attentionChunk());
    return d.residualMlp(w, x, attn);
  }

  /**
   * Block-diagonal causal attention, query-chunked: q {@code (heads, n, hd)}, k and v {@code (kv,
   * n, hd)}, rotated; returns {@code (n, heads·hd)}.
   */
  static NDArray attention(
      NDArray q, NDArray k, NDArray v, Layout layout, ModelConfig c, int rows) {
    int n = (int) q.getShape().get(1);
    int hd = c.headDim();
    int kv = c.numKvHeads();
    int group = c.groupSize();
    NDArray qg = q.mul((float) (1 / Math.sqrt(hd))).reshape(kv, group, n, hd); // (kv, g, n, hd)
    int chunk = Attention.rowsPerChunk(rows, c.numHeads(), n);
    NDList parts = new NDList();
    for (int c0 = 0; c0 < n; c0 += chunk) {
      int c1 = Math.min(n, c0 + chunk);
      int from = c0;
      parts.add(
          Scopes.keep(
              () -> {
                int tc = c1 - from;
                int kBegin = layout.first[from]; // no query of the chunk sees an earlier document
                int tk = c1 - kBegin;
                NDArray qc = qg.get(":, :, " + from + ":" + c1 + ", :").reshape(kv, group * tc, hd);
                NDArray kc = k.get(":, " + kBegin + ":" + c1 + ", :").transpose(0, 2, 1);
                NDArray vc = v.get(":, " + kBegin + ":" + c1 + ", :"); // (kv, tk, hd)
                NDArray scores = qc.matMul(kc).reshape(kv, group, tc, tk); // (kv, g, tc, tk)
                scores = scores.add(mask(q.getManager(), layout, from, c1, kBegin, c));
                NDArray p = scores.softmax(-1).reshape(kv, group * tc, tk);
                return p.matMul(vc) // (kv, g·tc, hd)
                    .reshape(kv * group, tc, hd)
                    .transpose(1, 0, 2) // (tc, heads, hd)
                    .reshape(tc, (long) kv * group * hd);
              }));
    }
    return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
  }

  /**
   * Additive mask {@code (tc, tk)} for queries [q0, q1) and keys [k0, q1): 0 where the key is in
   * the query's document, not after it (and inside the sliding window), −1e30 elsewhere.
   */
  private static NDArray mask(NDManager m, Layout layout, int q0, int q1, int k0, ModelConfig c) {
    int tc = q1 - q0;
    int tk = q1 - k0;
    int window = c.slidingWindow();
    float[] values = new float[tc * tk];
    for (int i = 0; i < tc; i++) {
      int qi = q0 + i;
      for (int j = 0; j < tk; j++) {
        int kj = k0 + j;
        boolean visible =
            kj <= qi && layout.doc[kj] == layout.doc[qi] && (window <= 0 || qi - kj < window);
        values[i * tk + j] = visible ? 0f : -1e30f;
      }
    }
    return m.create(FloatBuffer.wrap(values), new Shape(tc, tk));
  }
}
