package io.github.longrope.kernel.display;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ANSI colours for an error's traceback lines, as Jupyter front ends render them (IPython colours
 * its tracebacks the same way): the error lines in bold red, where a frame points in the cell in
 * green, carets under a compile error in bold red; the source text stays plain.
 */
public final class TracebackColors {
  static final String RED = "\u001b[1;31m";
  static final String GREEN = "\u001b[32m";
  static final String RESET = "\u001b[0m";

  private static final Pattern CELL_FRAME =
      Pattern.compile("(\\s+at [^:]*?(?:cell \\[\\d+]|start-up|[\\w.\\-]+), line \\d+\\)?)(:.*)?");
  private static final Pattern CARET = Pattern.compile("\\s*\\^[-^]*");

  private TracebackColors() {}

  public static List<String> of(List<String> lines) {
    List<String> out = new ArrayList<>(lines.size());
    for (String line : lines) {
      Matcher frame = CELL_FRAME.matcher(line);
      if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
        out.add(RED + line + RESET);
      } else if (CARET.matcher(line).matches()) {
        out.add(RED + line + RESET);
      } else if (frame.matches()) {
        out.add(GREEN + frame.group(1) + RESET + (frame.group(2) == null ? "" : frame.group(2)));
      } else {
        out.add(line);
      }
    }
    return out;
  }

  /** The lines without colour codes (tests, logs). */
  public static String plain(String line) {
    return line.replaceAll("\u001b\\[[0-9;]*m", "");
  }
}
