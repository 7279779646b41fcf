package io.github.longrope.eval;

import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.rope.RopeScaling;
import java.util.Map;
import java.util.function.DoubleFunction;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The comparison set of the paper's tables: each method as a function from the length scale s =
 * L'/L to a {@link RopeScaling}, so that a {@link PerplexityGrid} can configure every method for
 * one target (the LongRoPE figure: all methods set for 8×, evaluated across lengths) or each row
 * for its own length. At s ≤ 1 every method is the unscaled RoPE (nothing to extend).
 */
public final class Baselines {
  private Baselines() {}

  /** Searched (or given) factors λ, with the attention scale of the scale s they are used at. */
  public static DoubleFunction<RopeScaling> factors(FactorTable lambda, int originalLength) {
    return s -> s <= 1 ? new NoScaling() : LongRopeScaling.of(lambda, originalLength, s);
  }

  /**
   * The equivalent λᵢ of each method at scale {@code s} and sequence length {@code seqLength}
   * (columns method, dimension, factor): the picture of what every method does to each frequency.
   */
  public static Table factorTable(
      Map<String, DoubleFunction<RopeScaling>> methods,
      RopeGeometry geometry,
      double s,
      int seqLength) {
    Table t =
        Table.create(
            "λ per dimension at s = " + s,
            StringColumn.create("method"),
            IntColumn.create("dimension"),
            DoubleColumn.create("factor"));
    for (Map.Entry<String, DoubleFunction<RopeScaling>> m : methods.entrySet()) {
      double[] f = m.getValue().apply(s).frequencies(geometry, seqLength, 0).factors();
      for (int i = 0; i < f.length; i++) {
        t.stringColumn("method").append(m.getKey());
        t.intColumn("dimension").append(i);
        t.doubleColumn("factor").append(f[i]);
      }
    }
    return t;
  }
}
