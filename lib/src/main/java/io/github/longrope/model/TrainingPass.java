package io.github.longrope.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.github.longrope.rope.RopeFrequencies;
import io.github.longrope.rope.RopeScaling;
import java.util.Map;

/**
 * Forward and backward for training on DJL autograd with raw parameters: the mean next-token loss
 * of one sequence, backpropagated into the parameters' gradients, which <em>accumulate</em> across
 * calls (gradient accumulation) until the optimizer zeroes them.
 *
 * <p>Positions may skip (PoSE): token j sits at {@code positions[j]}, strictly increasing, so a
 * short sequence can exercise a long context's RoPE angles; the table is the one for a total length
 * of {@code positions[last] + 1} (that decides a short/long pair's regime).
 *
 * <p>With {@code checkpointing}, activations are kept per layer only: the forward runs without a
 * graph keeping each layer's input, then the layers are recomputed one at a time from the top, each
 * backpropagating {@code sum(layer(x) ⊙ g)} (a vector-Jacobian product) and handing {@code ∂/∂x}
 * down. Memory: one layer's graph instead of all of them; cost: one extra forward.
 */
public final class TrainingPass {
  private TrainingPass() {}

  /** Marks every parameter as trainable. */
  public static void enable(Decoder d) {
    for (NDArray p : d.weights.parameters().values()) {
      p.setRequiresGradient(true);
    }
  }

  /** The trainable leaves by HF name (live arrays: updating them updates the model). */
  public static Map<String, NDArray> parameters(Decoder d) {
    return d.weights.parameters();
  }

  /**
   * Accumulates {@code scale × ∂loss/∂θ} into every parameter's gradient and returns the loss: the
   * mean of −log p(ids[t+1] | ids[..t]) over t in [0, n − 1).
   */
  public static double backward(
      Decoder d, int[] ids, int[] positions, RopeScaling rope, float scale, boolean checkpointing) {
    return backward(d, ids, positions, rope, scale, checkpointing, 0);
  }

  /**
   * As {@link #backward(Decoder, int[], int[], RopeScaling, float, boolean)}, with the loss the
   * mean over t in [lossFrom, n − 1) only (an answer-only loss): the output layer is applied to
   * those positions alone, while every position still feeds the attention that the gradient flows
   * through.
   */
  public static double backward(
      Decoder d,
      int[] ids,
      int[] positions,
      RopeScaling rope,
      float scale,
      boolean checkpointing,
      int lossFrom) {
    d.checkIds(ids);
    if (ids.length < 2) {
      throw new IllegalArgumentException("a training sequence needs at least 2 tokens");
    }
    if (lossFrom < 0 || lossFrom > ids.length - 2) {
      throw new IllegalArgumentException(
          "lossFrom must be in [0, " + (ids.length - 2) + "], got " + lossFrom);
    }
    int[] pos = positions == null ? range(ids.length) : positions;
    if (pos.length != ids.length) {
      throw new IllegalArgumentException(pos.length + " positions for " + ids.length + " tokens");
    }
    for (int i = 1; i < pos.length; i++) {
      if (pos[i] <= pos[i - 1]) {
        throw new IllegalArgumentException("positions must increase strictly (index " + i + ")");
      }
    }
    RopeFrequencies[] tables = d.tables(rope, pos[pos.length - 1] + 1);
    return checkpointing
        ? checkpointed(d, ids, pos, tables, scale, lossFrom)
        : plain(d, ids, pos, tables, scale, lossFrom);
  }

  private static double plain(
      Decoder d, int[] ids, int[] pos, RopeFrequencies[] tables, float scale, int from) {
    try (GradientCollector gc = Engine.getInstance().newGradientCollector();
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray x = d.embed(ids);
      for (int l = 0; l < tables.length; l++) {
        x = layer(d, l, x, pos, tables);
      }
      NDArray loss = loss(d, x, ids, from);
      gc.backward(loss.mul(Scopes.scalar(loss, scale)));
      return loss.getFloat();
    }
  }

  private static double checkpointed(
      Decoder d, int[] ids, int[] pos, RopeFrequencies[] tables, float scale, int from) {
    int layers = tables.length;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray[] inputs = new NDArray[layers + 1];
      inputs[0] = d.embed(ids).stopGradient();
      for (int l = 0; l < layers; l++) {
        int layer = l;
        NDArray in = inputs[l];
        inputs[l + 1] = Scopes.keep(() -> layer(d, layer, in, pos, tables).stopGradient());
      }
      double value;
      NDArray grad;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray top = inputs[layers].duplicate();
        top.setRequiresGradient(true);
        NDArray loss = loss(d, top, ids, from);
        gc.backward(loss.mul(Scopes.scalar(loss, scale)));
        value = loss.getFloat();
        grad = detachedGradient(top);
        for (int l = layers - 1; l >= 0; l--) {
          NDArray in = inputs[l].duplicate();
          in.setRequiresGradient(true);
          gc.backward(layer(d, l, in, pos, tables).mul(grad).sum());
          grad = detachedGradient(in);
        }
        gc.backward(d.embed(ids).mul(grad).sum());
      }
      return value;
    }
  }

  private static NDArray detachedGradient(NDArray x) {
    try (NDArray g = x.getGradient()) {
      return g.duplicate().stopGradient();
    }
  }

  private static NDArray layer(Decoder d, int l, NDArray x, int[] pos, RopeFrequencies[] tables) {
    Rotary.Table table = Rotary.table(x.getManager(), tables[l], pos);
    return d.layer(l, x, table, tables[l], 0, null);
  }

  /** Mean NLL of ids[from + 1..] from the last layer's output x {@code (n, hidden)}. */
  private static NDArray loss(Decoder d, NDArray x, int[] ids, int from) {
    int n = ids.length;
    long[] targets = new long[n - 1 - from];
    for (int t = from; t < n - 1; t++) {
      targets[t - from] = ids[t + 1];
    }
    NDArray h = d.outputNorm(x.get(from + ":" + (n - 1)));
    return h.matMul(d.outputMatrix())
        .logSoftmax(-1)
        .gather(x.getManager().create(targets).expandDims(-1), -1)
        .mean()
        .neg();
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }
}
