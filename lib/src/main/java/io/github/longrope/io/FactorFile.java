package io.github.longrope.io;

import io.github.longrope.rope.FactorTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * LongRoPE factor files (docs/method.md, "Factor files"): plain text numbers, one value per line
 * (the official {@code result_*.csv}, numpy {@code savetxt} with {@code %.18e}) or comma-separated
 * rows (the {@code layers × d/2} matrices of the research branches).
 *
 * <ul>
 *   <li>every line has one value ⇒ one shared vector (length = number of lines);
 *   <li>otherwise every line is a row of the same width ⇒ one row (shared) or one per layer.
 * </ul>
 *
 * <p>Blank lines and {@code #} comments are ignored; commas and/or whitespace separate values.
 * Non-monotone factors load (a published file, {@code ft_mis_128k}, is not monotone) with a warning
 * naming the first decreasing index. Files are written with full double precision (shortest
 * round-trip form) and atomically.
 */
public final class FactorFile {
  private FactorFile() {}

  /** A loaded table and the warnings a user should see. */
  public record Loaded(FactorTable table, List<String> warnings) {
    public Loaded {
      warnings = List.copyOf(warnings);
    }
  }

  /** Reads a factor file of any width. */
  public static Loaded read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new FormatException(file.toString(), "", "factor file not found");
    } catch (IOException e) {
      throw new FormatException(file.toString(), "", "cannot read: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Reads a factor file and checks its width against d/2. */
  public static Loaded read(Path file, int expectedWidth) {
    Loaded loaded = read(file);
    requireWidth(loaded.table(), expectedWidth, file.toString());
    return loaded;
  }

  /** Throws a {@link FormatException} naming {@code source} unless the width is d/2. */
  public static void requireWidth(FactorTable table, int expectedWidth, String source) {
    if (table.width() != expectedWidth) {
      throw new FormatException(
          source,
          "",
          "has "
              + table.width()
              + " factors per row, expected d/2 = "
              + expectedWidth
              + " (one per frequency pair of the rotary dimension)");
    }
  }

  /** Parses factor text; {@code source} names it in errors and warnings. */
  public static Loaded parse(String text, String source) {
    List<double[]> lines = new ArrayList<>();
    List<Integer> lineNumbers = new ArrayList<>();
    String[] raw = text.split("\\R", -1);
    for (int n = 0; n < raw.length; n++) {
      String line = raw[n];
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] tokens = line.split("\\s*,\\s*|\\s+");
      double[] values = new double[tokens.length];
      for (int t = 0; t < tokens.length; t++) {
        values[t] = parseValue(tokens[t], source, n + 1, t + 1);
      }
      lines.add(values);
      lineNumbers.add(n + 1);
    }
    if (lines.isEmpty()) {
      throw new FormatException(source, "", "no factors: the file is empty");
    }
    double[][] rows;
    if (lines.stream().allMatch(v -> v.length == 1)) {
      rows = new double[][] {lines.stream().mapToDouble(v -> v[0]).toArray()};
    } else {
      int width = lines.get(0).length;
      for (int r = 0; r < lines.size(); r++) {
        if (lines.get(r).length != width) {
          throw new FormatException(
              source,
              "line " + lineNumbers.get(r),
              "has "
                  + lines.get(r).length
                  + " values but the first row has "
                  + width
                  + " (rows must all be d/2 wide)");
        }
      }
      rows = lines.toArray(new double[0][]);
    }
    FactorTable table = FactorTable.ofRows(rows);
    List<String> warnings = new ArrayList<>();
    Optional<FactorTable.Decrease> decrease = table.firstDecrease();
    decrease.ifPresent(
        d ->
            warnings.add(
                source
                    + ": factors are not monotone (first decrease at "
                    + d
                    + "); loaded anyway, but the dim_mono search requires non-decreasing factors"));
    return new Loaded(table, warnings);
  }

  private static double parseValue(String token, String source, int line, int column) {
    double v;
    try {
      // numpy writes inf / nan; Java spells them Infinity / NaN
      String t =
          token
              .toLowerCase(java.util.Locale.ROOT)
              .replaceFirst("^([+-]?)inf(inity)?$", "$1Infinity");
      v = t.matches("[+-]?nan") ? Double.NaN : Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new FormatException(
          source, "line " + line + ", value " + column, "'" + token + "' is not a number");
    }
    if (!Double.isFinite(v)) {
      throw new FormatException(
          source, "line " + line + ", value " + column, "factor " + token + " is not finite");
    }
    if (v <= 0) {
      throw new FormatException(
          source,
          "line " + line + ", value " + column,
          "factor " + token + " must be > 0 (λ divides the frequency)");
    }
    return v;
  }

  /**
   * Text of a factor file: a shared table as one value per line (the official layout), a per-layer
   * table as comma-separated rows.
   */
  public static String format(FactorTable table) {
    StringBuilder sb = new StringBuilder();
    if (table.isShared()) {
      for (double v : table.row(0)) {
        sb.append(v).append('\n');
      }
    } else {
      for (double[] row : table.rows()) {
        for (int i = 0; i < row.length; i++) {
          sb.append(i == 0 ? "" : ",").append(row[i]);
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** Writes {@link #format} atomically. */
  public static void write(Path file, FactorTable table) {
    AtomicFiles.writeString(file, format(table));
  }
}
