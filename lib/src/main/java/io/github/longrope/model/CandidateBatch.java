package io.github.longrope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.github.longrope.rope.RopeFrequencies;
import io.github.longrope.rope.RopeScaling;
import java.util.List;

/**
 * Several RoPE settings evaluated on the same tokens in one forward: the search's candidate
 * batching. Every candidate of a generation is scored on the same documents and differs from the
 * others only in its RoPE table, so B candidates can share one pass whose rows carry B tables: the
 * embeddings are computed once, each projection and MLP matmul runs over B·n rows (the weights are
 * read once for all B instead of B times) and the B sequences' attention runs as B·heads heads of
 * one call. On a GPU, where a forward at moderate length leaves most of the device idle, this is
 * the throughput lever; on a CPU the matmuls are compute-bound already, so it mostly saves the
 * weight traffic and the per-call overhead — `longrope bench forward --candidates B` measures both
 * paths side by side.
 *
 * <p>The losses equal {@link Decoder#nll} per candidate up to float rounding (a batched GEMM may
 * sum in another order; the tests hold it to 1e-5 relative). A batch of one is exactly {@link
 * Decoder#nll}. Memory grows with B like a sequence B times as long, and the plan is checked for
 * that length before anything runs.
 */
public final class CandidateBatch {
  private CandidateBatch() {}

  /**
   * Per-token NLLs of {@code ids} under each RoPE setting: row k is what {@code d.nll(ids,
   * ropes.get(k), from)} gives.
   */
  public static double[][] nll(Decoder d, int[] ids, List<RopeScaling> ropes, int from) {
    if (ropes.isEmpty()) {
      throw new IllegalArgumentException("no RoPE settings to evaluate");
    }
    if (ropes.size() == 1) {
      return new double[][] {d.nll(ids, ropes.get(0), from)};
    }
    d.checkIds(ids);
    if (from < 0 || from >= ids.length - 1) {
      throw new IllegalArgumentException(
          "no targets: from=" + from + " for a sequence of " + ids.length + " tokens");
    }
    long rows = (long) ids.length * ropes.size();
    if (rows > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          ropes.size() + " candidates × " + ids.length + " tokens is too large for one batch");
    }
    return d.guarded((int) rows, -1, () -> run(d, ids, ropes, from));
  }

  private static double[][] run(Decoder d, int[] ids, List<RopeScaling> ropes, int from) {
    int b = ropes.size();
    int n = ids.length;
    RopeFrequencies[][] tables = new RopeFrequencies[b][];
    boolean perLayer = false;
    for (int k = 0; k < b; k++) {
      tables[k] = d.tables(ropes.get(k), n);
      perLayer |= ropes.get(k).layers() > 1;
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray x = d.embed(ids).expandDims(0).repeat(0, b); // (B, n, hidden)
      Rotary.Table shared = stacked(x.getManager(), tables, 0, n).as(d.compute());
      for (int l = 0; l < d.config().numLayers(); l++) {
        int layer = l;
        NDArray in = x;
        boolean own = perLayer && l > 0;
        x =
            Scopes.keep(
                () -> {
                  Rotary.Table table =
                      own ? stacked(in.getManager(), tables, layer, n).as(d.compute()) : shared;
                  return d.layer(layer, in, table, null, 0, null);
                });
        in.close();
      }
      NDArray h = d.outputNorm(x);
      double[][] out = new double[b][];
      for (int k = 0; k < b; k++) {
        out[k] = d.nllOf(h.get(k), ids, from);
      }
      return out;
    }
  }

  /** The B candidates' cos/sin for positions [0, n) of one layer, each {@code (B, 1, n, d)}. */
  private static Rotary.Table stacked(NDManager m, RopeFrequencies[][] tables, int layer, int n) {
    NDList cos = new NDList();
    NDList sin = new NDList();
    for (RopeFrequencies[] t : tables) {
      Rotary.Table one = Rotary.table(m, t[layer], 0, n);
      cos.add(one.cos());
      sin.add(one.sin());
    }
    return new Rotary.Table(NDArrays.stack(cos).expandDims(1), NDArrays.stack(sin).expandDims(1));
  }
}
