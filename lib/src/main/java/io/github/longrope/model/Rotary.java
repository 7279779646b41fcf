package io.github.longrope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.longrope.rope.RopeFrequencies;
import io.github.longrope.rope.RopeTable;
import java.nio.FloatBuffer;

/**
 * Rotate-half RoPE on DJL arrays. The cos/sin values come from {@link RopeFrequencies} (angles in
 * double, start-token splice and attention scale applied there); this class only moves them to
 * native memory and applies them to the first {@code d} dims of every head.
 */
final class Rotary {
  private Rotary() {}

  /** cos and sin for positions [from, to), each {@code (to − from, d)} in the HF layout. */
  record Table(NDArray cos, NDArray sin) {
    /** The table in the activations' dtype (cos/sin computed from double angles, rounded once). */
    Table as(DataType type) {
      return cos.getDataType() == type
          ? this
          : new Table(cos.toType(type, false), sin.toType(type, false));
    }
  }

  static Table table(NDManager m, RopeFrequencies f, int from, int to) {
    RopeTable t = f.table(from, to, RopeTable.Precision.DOUBLE);
    Shape shape = new Shape(to - from, t.pairs());
    NDArray cos = m.create(FloatBuffer.wrap(t.cosValues()), shape);
    NDArray sin = m.create(FloatBuffer.wrap(t.sinValues()), shape);
    return new Table(cos.concat(cos, -1), sin.concat(sin, -1));
  }

  /**
   * cos and sin at explicit positions (PoSE-style skipped positions in training), each {@code
   * (positions, d)}; same values as {@link #table(NDManager, RopeFrequencies, int, int)} for
   * consecutive positions.
   */
  static Table table(NDManager m, RopeFrequencies f, int[] positions) {
    int pairs = f.geometry().pairs();
    float[] cos = new float[positions.length * pairs];
    float[] sin = new float[positions.length * pairs];
    for (int r = 0; r < positions.length; r++) {
      double[] c = f.cos(positions[r]);
      double[] s = f.sin(positions[r]);
      for (int i = 0; i < pairs; i++) {
        cos[r * pairs + i] = (float) c[i];
        sin[r * pairs + i] = (float) s[i];
      }
    }
    Shape shape = new Shape(positions.length, pairs);
    NDArray c = m.create(FloatBuffer.wrap(cos), shape);
    NDArray s = m.create(FloatBuffer.wrap(sin), shape);
    return new Table(c.concat(c, -1), s.concat(s, -1));
  }

  /**
   * Rotates x {@code (heads, n, headDim)} at the table's positions: {@code x·cos +
   * rotate_half(x)·sin} on the first d dims, the rest passes through (partial rotary).
   */
  static NDArray apply(NDArray x, Table t, int rotaryDim, int headDim) {
    int half = rotaryDim / 2;
    NDArray rot = rotaryDim == headDim ? x : x.get("..., 0:" + rotaryDim);
    NDArray x1 = rot.get("..., 0:" + half);
    NDArray x2 = rot.get("..., " + half + ":" + rotaryDim);
    NDArray rotated = rot.mul(t.cos()).add(x2.neg().concat(x1, -1).mul(t.sin()));
    return rotaryDim == headDim ? rotated : rotated.concat(x.get("..., " + rotaryDim + ":"), -1);
  }
}
