package io.github.longrope.kernel.magic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a cell into Java code and IPython-style magics, keeping line numbers.
 *
 * <ul>
 *   <li>A first line {@code %%name args} makes the whole cell a cell magic: the rest is its body.
 *   <li>A line {@code %name args} is a line magic, run in order between the Java parts around it,
 *       only where a new top-level statement starts: outside comments, strings and text blocks,
 *       outside any bracket, and after code that ends with {@code ;} or {@code }} (or after nothing
 *       but other magics).
 * </ul>
 *
 * Everything else is Java, so a line that continues an expression ({@code int bucket = step} then
 * {@code % 100;}, as google-java-format breaks before an operator) or a text-block line such as
 * {@code %d tokens} stays code. A name that is not a magic at a statement start ({@code %nope}) is
 * still parsed as a magic, so the user learns which ones exist: no Java statement starts with
 * {@code %}.
 */
public final class CellParser {
  private CellParser() {}

  private static final Pattern MAGIC = Pattern.compile("\\s*%([A-Za-z][\\w]*)(?=\\s|$)(.*)");
  private static final Pattern CELL_MAGIC = Pattern.compile("\\s*%%([A-Za-z][\\w]*)(?=\\s|$)(.*)");

  /** A part of a cell, in order. */
  public sealed interface Part permits Code, LineMagic {}

  /** Java source starting on line {@code firstLine} (1-based) of the cell. */
  public record Code(String source, int firstLine) implements Part {}

  /** {@code %name args} on line {@code line}. */
  public record LineMagic(String name, String args, int line) implements Part {}

  /** {@code %%name args} followed by a body starting on line {@code bodyFirstLine}. */
  public record CellMagic(String name, String args, String body, int bodyFirstLine) {}

  /** A parsed cell: either a cell magic, or parts. */
  public record Parsed(Optional<CellMagic> cellMagic, List<Part> parts) {}

  public static Parsed parse(String cell) {
    String[] lines = cell.split("\n", -1);
    int first = firstNonBlank(lines);
    if (first < lines.length) {
      Matcher m = CELL_MAGIC.matcher(lines[first]);
      if (m.matches()) {
        String body = String.join("\n", Arrays.copyOfRange(lines, first + 1, lines.length));
        return new Parsed(
            Optional.of(new CellMagic(m.group(1), m.group(2).strip(), body, first + 2)), List.of());
      }
    }
    boolean[] magic = magicLines(lines);
    List<Part> parts = new ArrayList<>();
    List<String> code = new ArrayList<>();
    int codeStart = 1;
    for (int i = 0; i < lines.length; i++) {
      if (magic[i]) {
        flush(parts, code, codeStart);
        Matcher m = MAGIC.matcher(lines[i]);
        m.matches();
        parts.add(new LineMagic(m.group(1), m.group(2).strip(), i + 1));
        codeStart = i + 2;
      } else {
        code.add(lines[i]);
      }
    }
    flush(parts, code, codeStart);
    return new Parsed(Optional.empty(), parts);
  }

  /**
   * Which lines of {@code cell} are line magics (by the rule above); a cell magic's first line is
   * not included.
   */
  public static boolean[] magicLines(String cell) {
    return magicLines(cell.split("\n", -1));
  }

  /**
   * Which lines start a new top-level statement (the places where a magic may stand), whatever they
   * hold; used by completion to offer magic names for a half-typed {@code %cl}.
   */
  public static boolean[] statementStarts(String cell) {
    String[] lines = cell.split("\n", -1);
    boolean[] out = new boolean[lines.length];
    JavaScanner scanner = new JavaScanner();
    for (int i = 0; i < lines.length; i++) {
      out[i] = scanner.atStatementStart();
      if (out[i] && lines[i].stripLeading().startsWith("%")) {
        scanner.restart();
      } else {
        scanner.scanLine(lines[i]);
      }
    }
    return out;
  }

  /** The cell with its magic lines (and a cell magic's first line) blanked, offsets unchanged. */
  public static String javaOnly(String cell) {
    String[] lines = cell.split("\n", -1);
    boolean[] magic = magicLines(lines);
    int first = firstNonBlank(lines);
    if (first < lines.length && CELL_MAGIC.matcher(lines[first]).matches()) {
      magic[first] = true;
    }
    StringBuilder sb = new StringBuilder(cell.length());
    for (int i = 0; i < lines.length; i++) {
      sb.append(magic[i] ? " ".repeat(lines[i].length()) : lines[i]);
      if (i + 1 < lines.length) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  private static boolean[] magicLines(String[] lines) {
    boolean[] magic = new boolean[lines.length];
    JavaScanner scanner = new JavaScanner();
    for (int i = 0; i < lines.length; i++) {
      if (scanner.atStatementStart() && MAGIC.matcher(lines[i]).matches()) {
        magic[i] = true;
        scanner.restart();
      } else {
        scanner.scanLine(lines[i]);
      }
    }
    return magic;
  }

  private static int firstNonBlank(String[] lines) {
    int first = 0;
    while (first < lines.length && lines[first].isBlank()) {
      first++;
    }
    return first;
  }

  private static void flush(List<Part> parts, List<String> code, int firstLine) {
    String source = String.join("\n", code);
    if (!source.isBlank()) {
      parts.add(new Code(source, firstLine));
    }
    code.clear();
  }

  /**
   * Just enough of a Java lexer to know, at the start of each line, whether a new top-level
   * statement may begin there: it follows comments, string, char and text-block literals and
   * bracket depth, and remembers the last character of code.
   */
  static final class JavaScanner {
    private boolean inBlockComment;
    private boolean inTextBlock;
    private int depth;
    private char last; // last code character outside comments; 0 when none

    boolean atStatementStart() {
      return !inBlockComment
          && !inTextBlock
          && depth <= 0
          && (last == 0 || last == ';' || last == '}');
    }

    /** After a magic line: the code before it was a part of its own. */
    void restart() {
      inBlockComment = false;
      inTextBlock = false;
      depth = 0;
      last = 0;
    }

    void scanLine(String line) {
      int n = line.length();
      int i = 0;
      while (i < n) {
        char c = line.charAt(i);
        if (inBlockComment) {
          int end = line.indexOf("*/", i);
          if (end < 0) {
            return;
          }
          inBlockComment = false;
          i = end + 2;
        } else if (inTextBlock) {
          int end = closingTextBlock(line, i);
          if (end < 0) {
            return;
          }
          inTextBlock = false;
          last = '"';
          i = end + 3;
        } else if (c == '/' && i + 1 < n && line.charAt(i + 1) == '/') {
          return;
        } else if (c == '/' && i + 1 < n && line.charAt(i + 1) == '*') {
          inBlockComment = true;
          i += 2;
        } else if (line.startsWith("\"\"\"", i)) {
          inTextBlock = true;
          i += 3;
        } else if (c == '"' || c == '\'') {
          i = endOfLiteral(line, i) + 1;
          last = c;
        } else {
          if (c == '(' || c == '[' || c == '{') {
            depth++;
          } else if (c == ')' || c == ']' || c == '}') {
            depth--;
          }
          if (!Character.isWhitespace(c)) {
            last = c;
          }
          i++;
        }
      }
    }

    /** Index of the {@code """} that closes a text block, from {@code from}; -1 if none. */
    private static int closingTextBlock(String line, int from) {
      for (int i = from; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '\\') {
          i++;
        } else if (line.startsWith("\"\"\"", i)) {
          return i;
        }
      }
      return -1;
    }

    /** Index of the quote closing the string or char literal opened at {@code i} (or the end). */
    private static int endOfLiteral(String line, int i) {
      char quote = line.charAt(i);
      for (int j = i + 1; j < line.length(); j++) {
        char c = line.charAt(j);
        if (c == '\\') {
          j++;
        } else if (c == quote) {
          return j;
        }
      }
      return line.length();
    }
  }
}
