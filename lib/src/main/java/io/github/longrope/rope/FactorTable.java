package io.github.longrope.rope;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;

/**
 * LongRoPE rescale factors λ: one shared vector of d/2 values, or one row per decoder layer.
 *
 * <p>Every value must be finite and &gt; 0. Monotonicity is <em>not</em> required (a published
 * factor file, {@code ft_mis_128k}, decreases at dims 5–8); {@link #firstDecrease()} reports it so
 * that loaders can warn and the search can enforce it.
 *
 * <p>Immutable: arrays are copied in and out.
 */
public final class FactorTable {
  private final double[][] rows;

  private FactorTable(double[][] rows) {
    Checks.require(rows.length > 0, "factor table has no rows");
    int width = rows[0].length;
    Checks.require(width > 0, "factor table has an empty row");
    double[][] copy = new double[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      Checks.require(
          rows[r].length == width,
          "factor table is ragged: row 0 has %d values, row %d has %d",
          width,
          r,
          rows[r].length);
      for (int i = 0; i < width; i++) {
        double v = rows[r][i];
        Checks.require(
            Double.isFinite(v) && v > 0,
            "factor [row %d, index %d] must be a finite number > 0, got %s",
            r,
            i,
            v);
      }
      copy[r] = rows[r].clone();
    }
    this.rows = copy;
  }

  /** One vector shared by all layers. */
  public static FactorTable of(double... factors) {
    return new FactorTable(new double[][] {factors});
  }

  /** Per-layer factors (row = layer); a single row means shared. */
  public static FactorTable ofRows(double[][] rows) {
    return new FactorTable(rows);
  }

  /** λᵢ = 1 for all i: the un-scaled table. */
  public static FactorTable ones(int width) {
    double[] one = new double[width];
    Arrays.fill(one, 1.0);
    return of(one);
  }

  /** d/2: values per row. */
  public int width() {
    return rows[0].length;
  }

  /** Number of rows: 1 (shared) or the number of layers. */
  public int layers() {
    return rows.length;
  }

  public boolean isShared() {
    return rows.length == 1;
  }

  /** The factors of a layer; a shared table answers the same row for every layer. */
  public double[] row(int layer) {
    if (isShared()) {
      return rows[0].clone();
    }
    Checks.require(
        layer >= 0 && layer < rows.length,
        "layer %d out of range: the factor table has %d rows",
        layer,
        rows.length);
    return rows[layer].clone();
  }

  /** All rows, copied. */
  public double[][] rows() {
    double[][] copy = new double[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      copy[r] = rows[r].clone();
    }
    return copy;
  }

  /**
   * Throws unless the width is d/2 of the geometry.
   *
   * @param what names the table in the message (for example a file name)
   */
  public FactorTable requireWidth(int expected, String what) {
    Checks.require(
        width() == expected,
        "%s has %d factors per row, expected d/2 = %d",
        what,
        width(),
        expected);
    return this;
  }

  /** The first place where λᵢ &lt; λ_{i−1}, if any. */
  public Optional<Decrease> firstDecrease() {
    for (int r = 0; r < rows.length; r++) {
      for (int i = 1; i < rows[r].length; i++) {
        if (rows[r][i] < rows[r][i - 1]) {
          return Optional.of(new Decrease(r, i, rows[r][i - 1], rows[r][i]));
        }
      }
    }
    return Optional.empty();
  }

  /** Where a factor table stops being non-decreasing. */
  public record Decrease(int row, int index, double previous, double value) {
    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "row %d, index %d: %s < %s at index %d",
          row,
          index,
          value,
          previous,
          index - 1);
    }
  }

  /** Applies f to every value. */
  public FactorTable map(DoubleUnaryOperator f) {
    double[][] out = rows();
    for (double[] row : out) {
      for (int i = 0; i < row.length; i++) {
        row[i] = f.applyAsDouble(row[i]);
      }
    }
    return new FactorTable(out);
  }

  /**
   * Element-wise product λ ⊙ other: progressive extension composes the fine-tuned factors with the
   * factors searched on top of them (docs/method.md, "Relative search"; T10). A shared table
   * broadcasts over layers.
   */
  public FactorTable times(FactorTable other) {
    Checks.require(
        other.width() == width(),
        "cannot multiply factor tables of widths %d and %d",
        width(),
        other.width());
    Checks.require(
        isShared() || other.isShared() || layers() == other.layers(),
        "cannot multiply factor tables with %d and %d layers",
        layers(),
        other.layers());
    int n = Math.max(layers(), other.layers());
    double[][] out = new double[n][width()];
    for (int r = 0; r < n; r++) {
      double[] a = row(r);
      double[] b = other.row(r);
      for (int i = 0; i < a.length; i++) {
        out[r][i] = a[i] * b[i];
      }
    }
    return new FactorTable(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FactorTable t && Arrays.deepEquals(rows, t.rows);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(rows);
  }

  @Override
  public String toString() {
    return isShared()
        ? "FactorTable" + Arrays.toString(rows[0])
        : "FactorTable[" + rows.length + " layers × " + width() + "]";
  }
}
