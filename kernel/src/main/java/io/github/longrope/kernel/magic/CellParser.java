package io.github.longrope.kernel.magic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Splits a cell into Java code and IPython-style magics, keeping line numbers.
 *
 * <ul>
 *   <li>A first line {@code %%name args} makes the whole cell a cell magic: the rest is its body.
 *   <li>Any other line whose first non-blank character is {@code %} is a line magic {@code %name
 *       args}, run in order between the Java parts around it.
 * </ul>
 *
 * (A Java line cannot start with {@code %}; inside a text block or a comment it would still be
 * taken for a magic.)
 */
public final class CellParser {
  private CellParser() {}

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
    int first = 0;
    while (first < lines.length && lines[first].isBlank()) {
      first++;
    }
    if (first < lines.length && lines[first].stripLeading().startsWith("%%")) {
      String[] nameArgs = nameAndArgs(lines[first].stripLeading().substring(2));
      String body = String.join("\n", Arrays.copyOfRange(lines, first + 1, lines.length));
      return new Parsed(
          Optional.of(new CellMagic(nameArgs[0], nameArgs[1], body, first + 2)), List.of());
    }
    List<Part> parts = new ArrayList<>();
    List<String> code = new ArrayList<>();
    int codeStart = 1;
    for (int i = 0; i < lines.length; i++) {
      String stripped = lines[i].stripLeading();
      if (stripped.startsWith("%")) {
        flush(parts, code, codeStart);
        String[] nameArgs = nameAndArgs(stripped.substring(1));
        parts.add(new LineMagic(nameArgs[0], nameArgs[1], i + 1));
        codeStart = i + 2;
      } else {
        code.add(lines[i]);
      }
    }
    flush(parts, code, codeStart);
    return new Parsed(Optional.empty(), parts);
  }

  private static void flush(List<Part> parts, List<String> code, int firstLine) {
    String source = String.join("\n", code);
    if (!source.isBlank()) {
      parts.add(new Code(source, firstLine));
    }
    code.clear();
  }

  private static String[] nameAndArgs(String text) {
    String t = text.strip();
    int space = 0;
    while (space < t.length() && !Character.isWhitespace(t.charAt(space))) {
      space++;
    }
    return new String[] {t.substring(0, space), t.substring(space).strip()};
  }
}
