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
        pieces.add(new Piece(remaining, consumed, c, remaining.stripTrailing().endsWith(";")));
        break;
      }
      String source = info.source();
      String rest = info.remaining();
      int length = remaining.length() - rest.length();
      String typed = remaining.substring(0, length);
      boolean semicolon = c == Completeness.COMPLETE && typed.stripTrailing().endsWith(";");
      pieces.add(new Piece(source, consumed, c, semicolon));
      consumed += length;
      remaining = rest;
    }
    return pieces;
  }

  private static int leadingWhitespace(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }
}
