package io.github.longrope.kernel.magic;

import io.github.longrope.kernel.jshell.CellEvaluator.Completion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tab completion for a whole cell, magics included: magic names after a {@code %} where a magic may
 * stand, Java in the code of {@code %time} / {@code %%time}, Maven coordinates from the local
 * repository after {@code %maven}, file names after {@code %jars}, {@code %classpath} and {@code
 * %load}, and Java (JShell) everywhere else.
 */
public final class CellCompleter {
  /** Java completion at a cursor of a cell whose magic lines are blanked. */
  public interface Java {
    Completion complete(String code, int cursor);
  }

  private static final Pattern HALF_MAGIC = Pattern.compile("(\\s*)(%%?)([A-Za-z]\\w*)?");
  private static final Pattern MAGIC_LINE = Pattern.compile("(\\s*%%?([A-Za-z]\\w*)\\s*)(.*)");

  private final LocalRepository repository;

  public CellCompleter(LocalRepository repository) {
    this.repository = repository;
  }

  public Completion complete(String cell, int cursor, Java java) {
    int at = Math.max(0, Math.min(cursor, cell.length()));
    int lineStart = cell.lastIndexOf('\n', at - 1) + 1;
    int lineEnd = cell.indexOf('\n', at);
    String line = cell.substring(lineStart, lineEnd < 0 ? cell.length() : lineEnd);
    String before = cell.substring(lineStart, at);
    int lineIndex = countLines(cell, lineStart);
    boolean firstCodeLine = cell.substring(0, lineStart).isBlank();
    boolean statementStart = CellParser.statementStarts(cell)[lineIndex];

    Matcher half = HALF_MAGIC.matcher(before);
    if ((statementStart || firstCodeLine) && half.matches()) {
      boolean cellMagic = half.group(2).equals("%%");
      if (!cellMagic || firstCodeLine) {
        String typed = half.group(3) == null ? "" : half.group(3);
        Map<String, String> names = cellMagic ? MagicNames.CELL : MagicNames.LINE;
        List<String> matches =
            names.keySet().stream()
                .filter(n -> n.startsWith(typed))
                .map(n -> half.group(2) + n)
                .toList();
        return new Completion(matches, lineStart + half.group(1).length(), at);
      }
    }
    Matcher magic = MAGIC_LINE.matcher(line);
    boolean isCellMagicLine = firstCodeLine && line.stripLeading().startsWith("%%");
    boolean isLineMagic = CellParser.magicLines(cell)[lineIndex];
    if ((isLineMagic || isCellMagicLine) && magic.matches()) {
      int argsStart = lineStart + magic.group(1).length();
      if (at < argsStart) {
        return none(at);
      }
      String name = magic.group(2);
      if (isCellMagicLine) {
        return none(at);
      }
      switch (name) {
        case "time":
          return java.complete(javaView(cell, at), at);
        case "maven":
          {
            int wordStart = wordStart(cell, at, argsStart);
            return new Completion(
                repository.complete(cell.substring(wordStart, at)), wordStart, at);
          }
        case "jars":
        case "classpath":
        case "load":
          {
            int wordStart = wordStart(cell, at, argsStart);
            return new Completion(FileNames.complete(cell.substring(wordStart, at)), wordStart, at);
          }
        default:
          return none(at);
      }
    }
    return java.complete(javaView(cell, at), at);
  }

  /**
   * The cell as JShell should see it for completion or inspection at {@code cursor}: magic lines
   * blanked, except the Java of the {@code %time} line that holds the cursor; the body of a {@code
   * %%time} cell is Java too. Offsets are unchanged.
   */
  public static String javaView(String cell, int cursor) {
    String java = CellParser.javaOnly(cell);
    int at = Math.max(0, Math.min(cursor, cell.length()));
    int lineStart = cell.lastIndexOf('\n', at - 1) + 1;
    int lineEnd = cell.indexOf('\n', at);
    if (lineEnd < 0) {
      lineEnd = cell.length();
    }
    Matcher magic = MAGIC_LINE.matcher(cell.substring(lineStart, lineEnd));
    if (magic.matches()
        && magic.group(2).equals("time")
        && !magic.group(1).contains("%%")
        && CellParser.magicLines(cell)[countLines(cell, lineStart)]) {
      int argsStart = lineStart + magic.group(1).length();
      return java.substring(0, argsStart)
          + cell.substring(argsStart, lineEnd)
          + java.substring(lineEnd);
    }
    return java;
  }

  private static Completion none(int at) {
    return new Completion(List.of(), at, at);
  }

  private static int wordStart(String cell, int at, int floor) {
    int i = at;
    while (i > floor && !Character.isWhitespace(cell.charAt(i - 1))) {
      i--;
    }
    return i;
  }

  private static int countLines(String s, int to) {
    int n = 0;
    for (int i = 0; i < to; i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  /** File and folder names for a half-typed path ({@code ~/} is the home folder). */
  static final class FileNames {
    private FileNames() {}

    static List<String> complete(String typed) {
      String home = System.getProperty("user.home");
      String expanded = typed.startsWith("~/") ? home + typed.substring(1) : typed;
      int slash = expanded.lastIndexOf('/');
      String dir = slash < 0 ? "." : slash == 0 ? "/" : expanded.substring(0, slash);
      String partial = expanded.substring(slash + 1);
      String shownDir = slash < 0 ? "" : typed.substring(0, typed.lastIndexOf('/') + 1);
      java.io.File[] files = new java.io.File(dir).listFiles();
      List<String> out = new ArrayList<>();
      if (files == null) {
        return out;
      }
      java.util.Arrays.sort(files);
      for (java.io.File f : files) {
        if (f.getName().startsWith(partial) && (partial.startsWith(".") || !f.isHidden())) {
          out.add(shownDir + f.getName() + (f.isDirectory() ? "/" : ""));
        }
      }
      return out;
    }
  }
}
