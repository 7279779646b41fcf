package io.github.longrope.kernel.jshell;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import jdk.jshell.SourceCodeAnalysis.Suggestion;
import jdk.jshell.VarSnippet;

/**
 * Tab completion and Shift-Tab inspection from JShell's source analysis, on the snippet of the cell
 * that holds the cursor (earlier complete statements are cut off first). The caller blanks magic
 * lines: only it knows which lines are magics.
 */
final class Completions {
  private static final int MAX_VALUE_CHARS = 1000;

  /** JShell's own temporaries ({@code $1}, {@code $12}): never offered. */
  private static final Pattern TEMPORARY = Pattern.compile("\\$\\d");

  private Completions() {}

  static CellEvaluator.Completion complete(SourceCodeAnalysis analysis, String code, int cursor) {
    int at = clamp(cursor, code);
    int start = snippetStart(analysis, code, at);
    String context = code.substring(start, at);
    int[] anchor = new int[1];
    List<Suggestion> suggestions =
        analysis.completionSuggestions(context, context.length(), anchor);
    Set<String> typed = new LinkedHashSet<>();
    Set<String> other = new LinkedHashSet<>();
    for (Suggestion s : suggestions) {
      if (!TEMPORARY.matcher(s.continuation()).lookingAt()) {
        (s.matchesType() ? typed : other).add(s.continuation());
      }
    }
    List<String> matches = new ArrayList<>(typed);
    other.stream().filter(s -> !typed.contains(s)).forEach(matches::add);
    return new CellEvaluator.Completion(matches, start + anchor[0], at);
  }

  /** Signatures and Javadoc, or a variable's type and value; null when nothing is known. */
  static String inspect(SourceCodeAnalysis analysis, JShell jshell, String code, int cursor) {
    int at = clamp(cursor, code);
    int wordEnd = at;
    while (wordEnd < code.length() && Character.isJavaIdentifierPart(code.charAt(wordEnd))) {
      wordEnd++;
    }
    String word = wordAt(code, at, wordEnd);
    int wordStart = wordEnd - word.length();
    boolean member = wordStart > 0 && code.charAt(wordStart - 1) == '.';
    StringBuilder sb = new StringBuilder();
    if (!member && !word.isEmpty()) {
      // a variable of the session: its type and current value
      jshell
          .variables()
          .filter(v -> v.name().equals(word) && jshell.status(v).isActive())
          .reduce((a, b) -> b)
          .ifPresent(v -> sb.append(describe(jshell, v)));
    }
    if (sb.length() > 0) {
      return sb.toString();
    }
    int start = snippetStart(analysis, code, at);
    List<Documentation> docs =
        analysis.documentation(code.substring(start, wordEnd), wordEnd - start, true);
    if (docs.isEmpty()) {
      // "Math.max" with the cursor on the name: ask as if the call had started
      String call = code.substring(start, wordEnd) + "(";
      docs = analysis.documentation(call, call.length(), true);
    }
    for (Documentation d : docs) {
      sb.append(d.signature()).append('\n');
      if (d.javadoc() != null && !d.javadoc().isBlank()) {
        sb.append(d.javadoc().strip()).append("\n\n");
      }
    }
    return sb.length() == 0 ? null : sb.toString().stripTrailing();
  }

  private static String describe(JShell jshell, VarSnippet v) {
    String value;
    try {
      value = jshell.varValue(v);
    } catch (RuntimeException e) {
      value = "(unavailable: " + e.getMessage() + ")";
    }
    if (value != null && value.length() > MAX_VALUE_CHARS) {
      value = value.substring(0, MAX_VALUE_CHARS) + " …";
    }
    return v.typeName() + " " + v.name() + " = " + value;
  }

  private static String wordAt(String code, int at, int wordEnd) {
    int from = Math.min(at, wordEnd);
    while (from > 0 && Character.isJavaIdentifierPart(code.charAt(from - 1))) {
      from--;
    }
    return code.substring(from, wordEnd);
  }

  /** Offset where the snippet holding {@code cursor} starts (after earlier complete ones). */
  private static int snippetStart(SourceCodeAnalysis analysis, String code, int cursor) {
    String prefix = code.substring(0, cursor);
    int start = 0;
    String remaining = prefix;
    while (true) {
      int ws = 0;
      while (ws < remaining.length() && Character.isWhitespace(remaining.charAt(ws))) {
        ws++;
      }
      start += ws;
      remaining = remaining.substring(ws);
      if (remaining.isEmpty()) {
        return start;
      }
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      Completeness c = info.completeness();
      boolean complete = c == Completeness.COMPLETE || c == Completeness.COMPLETE_WITH_SEMI;
      if (!complete || info.remaining().isBlank()) {
        return start;
      }
      start += remaining.length() - info.remaining().length();
      remaining = info.remaining();
    }
  }

  private static int clamp(int cursor, String code) {
    return Math.max(0, Math.min(cursor, code.length()));
  }
}
