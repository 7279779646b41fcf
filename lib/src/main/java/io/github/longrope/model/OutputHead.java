package io.github.longrope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * The output head: fp32 logits from final-norm hidden rows, and the per-token losses taken from
 * them, {@link #ROWS} rows at a time so that full logits never exist for a whole sequence.
 *
 * <p>Logits are fp32 products in every dtype (an f16 logit of 20 is off by 0.01). An f16 output
 * matrix is therefore widened to fp32, {@link #VOCAB_SLICE} vocabulary columns at a time, so that
 * the transient copy is a slice, not the {@code vocab × hidden} matrix: 2 GiB for LLaMA-3-8B's
 * 128k-token vocabulary, which would have cost a forward more memory than its K/V at 16k. A
 * generation, which multiplies one row per step, keeps one widened copy instead ({@link
 * KvCache#widenedHead}).
 */
final class OutputHead {
  /** Rows of logits materialised at once. */
  static final int ROWS = 256;

  /** Vocabulary columns of an f16 output matrix widened at once. */
  static final int VOCAB_SLICE = 8192;

  private OutputHead() {}

  /** fp32 logits {@code (rows, vocab)} of {@code rows (rows, hidden)}, fp32 final-norm states. */
  static NDArray logits(NDArray rows, NDArray head) {
    if (head.getDataType() == DataType.FLOAT32) {
      return rows.matMul(head);
    }
    long vocab = head.getShape().get(1);
    NDList parts = new NDList();
    for (long v0 = 0; v0 < vocab; v0 += VOCAB_SLICE) {
      String columns = ":, " + v0 + ":" + Math.min(vocab, v0 + VOCAB_SLICE);
      parts.add(Scopes.keep(() -> rows.matMul(Decoder.f32(head.get(columns)))));
    }
    if (parts.size() == 1) {
      return parts.singletonOrThrow();
    }
    NDArray out = NDArrays.concat(parts, 1);
    parts.close();
    return out;
  }

  /** Every row's logits, row-major {@code [T × vocab]}. */
  static float[] all(NDArray h, NDArray head, int vocab) {
    int n = (int) h.getShape().get(0);
    float[] out = new float[n * vocab];
    for (int c = 0; c < n; c += ROWS) {
      String rows = c + ":" + Math.min(n, c + ROWS);
      float[] part = Scopes.keep(() -> logits(h.get(rows), head)).toFloatArray();
      System.arraycopy(part, 0, out, c * vocab, part.length);
    }
    return out;
  }

  /**
   * Per-token losses from final-norm states {@code h (T, hidden)}: element t − from is −log
   * p(ids[t+1] | ids[0..t]) for t in [from, T − 1), with the log-softmax in fp32.
   */
  static double[] nll(NDArray h, NDArray head, int[] ids, int from) {
    double[] out = new double[ids.length - 1 - from];
    for (int c = from; c < ids.length - 1; c += ROWS) {
      int e = Math.min(ids.length - 1, c + ROWS);
      long[] targets = new long[e - c];
      for (int t = c; t < e; t++) {
        targets[t - c] = ids[t + 1];
      }
      String rows = c + ":" + e;
      float[] part =
          Scopes.keep(
                  () ->
                      logits(h.get(rows), head)
                          .logSoftmax(-1)
                          .gather(h.getManager().create(targets).expandDims(-1), -1)
                          .neg())
              .toFloatArray();
      for (int t = 0; t < part.length; t++) {
        out[c - from + t] = part[t];
      }
    }
    return out;
  }
}
