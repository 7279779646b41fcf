package io.github.longrope.kernel.jshell;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * Splits Java source into the snippets JShell evaluates one at a time, keeping where each starts.
 *
 * <p>Leading whitespace is cut from every snippet: JShell maps exception line numbers wrongly when
 * a snippet starts with blank lines, and the cut makes the snippet's first line the line of {@link
 * Piece#start}.
 */
final class CellSplitter {
  private CellSplitter() {}

  /**
   * One snippet.
   *
   * @param source the snippet as JShell gets it (a missing final semicolon added by JShell)
   * @param start offset of the snippet's first character in the split text
   * @param completeness JShell's verdict; an incomplete one only for the last piece
   * @param typedSemicolon whether the user ended it with ';' (suppresses the value display)
   */
  record Piece(String source, int start, Completeness completeness, boolean typedSemicolon) {}

  static List<Piece> split(SourceCodeAnalysis analysis, String code) {
    List<Piece> pieces = new ArrayList<>();
    int consumed = 0;
    String remaining = code;
    while (!remaining.isBlank()) {
      int ws = leadingWhitespace(remaining);
      consumed += ws;
      remaining = remaining.substring(ws);
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      Completeness c = info.completeness();
      if (c == Completeness.EMPTY) {
        break; // only comments left
      }
      if (c == Completeness.DEFINITELY_INCOMPLETE || c == Completeness.CONSIDERED_INCOMPLETE) {
        // the rest cannot be split further: hand it over as one piece (JShell reports it)
        pieces.add(new Piece(remaining, consumed, c, endsWithSemicolon(remaining)));
        break;
      }
      String source = info.source();
      String rest = info.remaining();
      int length = remaining.length() - rest.length();
      String typed = remaining.substring(0, length);
      boolean semicolon = c == Completeness.COMPLETE && endsWithSemicolon(typed);
      pieces.add(new Piece(source, consumed, c, semicolon));
      consumed += length;
      remaining = rest;
    }
    return pieces;
  }

  /**
   * Whether the last character of code in {@code typed} — outside comments, which JShell keeps in a
   * snippet (`x; // note` is one snippet) — is a semicolon.
   */
  static boolean endsWithSemicolon(String typed) {
    char last = 0;
    int n = typed.length();
    for (int i = 0; i < n; i++) {
      char ch = typed.charAt(i);
      char next = i + 1 < n ? typed.charAt(i + 1) : 0;
      if (ch == '/' && next == '/') {
        int eol = typed.indexOf('\n', i);
        i = eol < 0 ? n : eol;
      } else if (ch == '/' && next == '*') {
        int end = typed.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 1;
      } else if (ch == '"' || ch == '\'') {
        i = endOfLiteral(typed, i);
        last = ch;
      } else if (!Character.isWhitespace(ch)) {
        last = ch;
      }
    }
    return last == ';';
  }

  /** The index of the quote that closes the string, char or text-block literal opened at i. */
  private static int endOfLiteral(String s, int i) {
    char quote = s.charAt(i);
    if (quote == '"' && s.startsWith("\"\"\"", i)) {
      int end = s.indexOf("\"\"\"", i + 3);
      while (end > 0 && s.charAt(end - 1) == '\\') {
        end = s.indexOf("\"\"\"", end + 1);
      }
      return end < 0 ? s.length() : end + 2;
    }
    for (int j = i + 1; j < s.length(); j++) {
      char c = s.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == quote || c == '\n') {
        return j;
      }
    }
    return s.length();
  }

  private static int leadingWhitespace(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }
}
