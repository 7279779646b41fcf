package io.github.longrope.kernel.jshell;

import io.github.longrope.kernel.jshell.CellSplitter.Piece;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Evaluates notebook cells with JShell running in this JVM.
 *
 * <pre>{@code
 * try (CellEvaluator jshell = new CellEvaluator(3000)) {
 *   CellEvaluator.Result r = jshell.eval("int x = 20;\nx + 22", 1, 1);  // r.value() == 42
 * }
 * }</pre>
 *
 * <p>A cell is split into snippets ({@link CellSplitter}) evaluated in order; the value of the last
 * one is the cell's result when it is an expression or a variable with an initializer and was not
 * ended with a semicolon (as in IPython, {@code x;} shows nothing). A failing snippet stops the
 * cell with an {@link EvalFailure} that names the real exception class, the message, the cell and
 * line, and the source line. Snippet ids are remembered, so a method defined in an earlier cell
 * shows up in a stack trace as "cell [3], line 2".
 */
public final class CellEvaluator implements AutoCloseable {
  /** JShell's usual imports plus Tablesaw, XChart and the notebook functions. */
  public static final List<String> DEFAULT_IMPORTS =
      List.of(
          "java.io.*",
          "java.math.*",
          "java.net.*",
          "java.nio.file.*",
          "java.util.*",
          "java.util.concurrent.*",
          "java.util.function.*",
          "java.util.regex.*",
          "java.util.stream.*",
          "tech.tablesaw.api.*",
          "org.knowm.xchart.*",
          "static io.github.longrope.kernel.runtime.Notebook.*");

  private static final int MAX_LIBRARY_FRAMES = 12;

  /** Shown under a compile error on a line that starts with {@code %}. */
  static final String MAGIC_HINT =
      "    (a line starting with % is a magic only where a new statement starts: after a line"
          + " ending in ';' or '}', outside brackets; %lsmagic lists the magics)";

  private final SnippetRunner runner;
  private final CapturingExecutionControl control;
  private final JShell jshell;
  private final SourceCodeAnalysis analysis;
  private final Map<String, Origin> origins = new ConcurrentHashMap<>();

  /** The value of a cell (or of a part of it); {@link #NONE} when there is nothing to show. */
  public record Result(boolean present, Object value) {
    public static final Result NONE = new Result(false, null);

    public static Result of(Object value) {
      return new Result(true, value);
    }
  }

  /** Completion candidates replacing the source range {@code [start, end)}. */
  public record Completion(List<String> matches, int start, int end) {}

  /** Where a snippet came from: the cell's execution count, its first line and its lines. */
  private record Origin(String label, int line, String[] lines) {}

  /**
   * A JShell on this JVM; an interrupt that is ignored for {@code interruptGraceMillis} escalates
   * (see {@link SnippetRunner}).
   */
  public CellEvaluator(long interruptGraceMillis) {
    this.runner = new SnippetRunner(interruptGraceMillis);
    this.control = new CapturingExecutionControl(runner);
    this.jshell =
        JShell.builder()
            .executionEngine(new CapturingExecutionControl.Provider(control), Map.of())
            // local variable tables: NullPointerException messages name lambda parameters and
            // locals ("because \"s\" is null", not "<parameter1>")
            .compilerOptions("-g")
            .out(System.out)
            .err(System.err)
            .build();
    this.analysis = jshell.sourceCodeAnalysis();
  }

  /** Evaluates the default imports (also warms up javac). */
  public void importDefaults() throws EvalFailure {
    String source =
        DEFAULT_IMPORTS.stream().map(i -> "import " + i + ";").collect(Collectors.joining("\n"));
    eval(source, 0, 1);
  }

  /**
   * Evaluates Java source that starts on line {@code firstLine} (1-based) of cell {@code cell}.
   *
   * @throws EvalFailure on a compile error, an exception, an incomplete cell or an interrupt
   */
  public Result eval(String code, int cell, int firstLine) throws EvalFailure {
    return eval(code, label(cell), firstLine);
  }

  /**
   * Evaluates a script file's Java ({@code %load}); errors point at {@code name}, line N.
   *
   * @throws EvalFailure as {@link #eval(String, int, int)}
   */
  public Result evalScript(String code, String name) throws EvalFailure {
    return eval(code, name, 1);
  }

  private Result eval(String code, String cell, int firstLine) throws EvalFailure {
    Result result = Result.NONE;
    List<Piece> pieces = CellSplitter.split(analysis, code);
    try {
      for (Piece piece : pieces) {
        checkInterrupted(code, piece, cell, firstLine);
        if (piece.completeness() == Completeness.DEFINITELY_INCOMPLETE) {
          throw incomplete(code, piece, cell, firstLine);
        }
        result = evalPiece(code, piece, cell, firstLine);
      }
      checkInterrupted(code, null, cell, firstLine);
    } finally {
      control.clearValues();
    }
    return result;
  }

  /** Starts a new cell: forgets an interrupt that arrived after the previous one. */
  public void beginCell() {
    runner.beginCell();
  }

  /** Interrupts the running cell (called from the kernel's control thread). */
  public void interrupt() {
    runner.interrupt();
  }

  /** Adds jars or class folders to the compiler and the snippet class loader. */
  public void addToClasspath(List<Path> entries) {
    for (Path p : entries) {
      jshell.addToClasspath(p.toAbsolutePath().toString());
    }
  }

  /** The session's variables, imports, methods and types ({@code %vars} and friends). */
  public SessionView session() {
    return new SessionView(jshell);
  }

  /** Completion candidates at {@code cursor} of {@code code}; see {@link Completions}. */
  public Completion complete(String code, int cursor) {
    return Completions.complete(analysis, code, cursor);
  }

  /** Signature(s) and Javadoc of what is at {@code cursor}, or null when nothing is found. */
  public String inspect(String code, int cursor) {
    return Completions.inspect(analysis, jshell, code, cursor);
  }

  /**
   * Jupyter's is_complete: {@code "complete"}, {@code "invalid"}, or an indent when more input is
   * needed.
   */
  public String isComplete(String code) {
    String remaining = code;
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      switch (info.completeness()) {
        case DEFINITELY_INCOMPLETE:
          return "    ";
        case CONSIDERED_INCOMPLETE:
          return "    ";
        case UNKNOWN:
          return "invalid";
        case EMPTY:
          return "complete";
        default:
          remaining = info.remaining();
      }
    }
    return "complete";
  }

  @Override
  public void close() {
    jshell.close();
    runner.close();
  }

  /**
   * Stops the cell when an interrupt is still pending before {@code next} (null: after the last
   * snippet): it came between snippets, or the code that ran ignored it. A handled one is no longer
   * pending (see {@link SnippetRunner}).
   */
  private void checkInterrupted(String code, Piece next, String cell, int firstLine)
      throws EvalFailure {
    if (!runner.interruptRequested()) {
      return;
    }
    String[] lines = code.split("\n", -1);
    List<String> out = new ArrayList<>();
    String message;
    if (next == null) {
      message =
          "the interrupt button stopped "
              + cell
              + " after its last statement, which ran to its end without checking for interrupts"
              + " (its value is not shown)";
      out.add("Interrupted: " + message);
    } else {
      int from = countNewlines(code, 0, next.start());
      int to = lines.length - 1;
      while (to > from && lines[to].isBlank()) {
        to--;
      }
      message =
          "the interrupt button stopped "
              + where(cell, firstLine + from)
              + (to > from ? "; lines " + (firstLine + from) + "–" + (firstLine + to) : "")
              + " did not run";
      out.add("Interrupted: " + message + ":");
      out.add("    " + lines[from].strip() + (to > from ? "  …" : ""));
    }
    out.add(
        "    (code that catches the interrupt, e.g. a search's CancellationException, lets the"
            + " rest of the cell run)");
    throw new EvalFailure(message, out, new InterruptedException(message));
  }

  private Result evalPiece(String code, Piece piece, String cell, int firstLine)
      throws EvalFailure {
    int startLine = firstLine + countNewlines(code, 0, piece.start());
    Result result = Result.NONE;
    List<SnippetEvent> events = jshell.eval(piece.source());
    for (SnippetEvent event : events) {
      if (event.causeSnippet() != null) {
        continue; // a dependent snippet updated as a side effect
      }
      Snippet snippet = event.snippet();
      origins.put(snippet.id(), new Origin(cell, startLine, piece.source().split("\n", -1)));
      if (event.status() == Snippet.Status.REJECTED) {
        throw compileError(code, piece, snippet, cell, firstLine);
      }
      JShellException thrown = event.exception();
      if (thrown != null) {
        throw runtimeError(thrown);
      }
      if (event.status() == Snippet.Status.RECOVERABLE_DEFINED
          || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
        noteUnresolved(snippet);
      }
      String value = event.value();
      if (CapturingExecutionControl.isKey(value)) {
        Object object = control.take(value);
        if (!piece.typedSemicolon() && showsValue(snippet)) {
          result = Result.of(object);
        }
      }
    }
    return result;
  }

  private static boolean showsValue(Snippet snippet) {
    return switch (snippet.subKind()) {
      case TEMP_VAR_EXPRESSION_SUBKIND,
          VAR_VALUE_SUBKIND,
          ASSIGNMENT_SUBKIND,
          OTHER_EXPRESSION_SUBKIND,
          VAR_DECLARATION_WITH_INITIALIZER_SUBKIND ->
          true;
      default -> false;
    };
  }

  private void noteUnresolved(Snippet snippet) {
    if (snippet instanceof DeclarationSnippet declaration) {
      List<String> missing = jshell.unresolvedDependencies(declaration).toList();
      if (!missing.isEmpty()) {
        PrintStream err = System.err;
        err.println(
            "note: "
                + describe(snippet)
                + " is defined, but cannot be used until "
                + String.join(", ", missing)
                + (missing.size() == 1 ? " is" : " are")
                + " declared");
      }
    }
  }

  private static String describe(Snippet snippet) {
    if (snippet instanceof DeclarationSnippet d) {
      return snippet.kind().name().toLowerCase(Locale.ROOT) + " " + d.name();
    }
    return "snippet";
  }

  // ---------------------------------------------------------------- errors

  private EvalFailure incomplete(String code, Piece piece, String cell, int firstLine) {
    int line = firstLine + countNewlines(code, 0, piece.start());
    String message =
        "incomplete input: the cell ends inside a statement (missing ';', ')' or '}'?)";
    List<String> lines = new ArrayList<>();
    lines.add("CompilationException: " + message);
    lines.add("  at " + where(cell, line));
    lines.add("    " + code.split("\n", -1)[line - firstLine].strip());
    return new EvalFailure.CompilationException(message, lines);
  }

  private EvalFailure compileError(
      String code, Piece piece, Snippet snippet, String cell, int firstLine) {
    List<Diag> diags = jshell.diagnostics(snippet).filter(Diag::isError).toList();
    List<String> lines = new ArrayList<>();
    String first = null;
    String[] codeLines = code.split("\n", -1);
    for (Diag d : diags) {
      String message = d.getMessage(Locale.ROOT);
      if (first == null) {
        first = message.lines().findFirst().orElse(message);
      }
      long pos = d.getStartPosition() >= 0 ? d.getStartPosition() : d.getPosition();
      long end = d.getEndPosition() >= 0 ? d.getEndPosition() : pos + 1;
      int abs = (int) Math.min(code.length(), piece.start() + Math.max(0, pos));
      int absEnd = (int) Math.min(code.length(), piece.start() + Math.max(pos + 1, end));
      int lineIndex = countNewlines(code, 0, abs);
      int lineStart = code.lastIndexOf('\n', abs - 1) + 1;
      int column = abs - lineStart;
      String sourceLine = lineIndex < codeLines.length ? codeLines[lineIndex] : "";
      int caretEnd = Math.min(sourceLine.length(), column + Math.max(1, absEnd - abs));
      lines.add(
          "CompilationException: "
              + where(cell, firstLine + lineIndex)
              + ": "
              + message.lines().findFirst().orElse(""));
      message.lines().skip(1).forEach(l -> lines.add("    " + l.strip()));
      lines.add("    " + sourceLine);
      lines.add("    " + caret(sourceLine, column, caretEnd));
      if (sourceLine.stripLeading().startsWith("%")) {
        lines.add(MAGIC_HINT);
      }
    }
    if (first == null) {
      first = "the snippet was rejected by the compiler";
      lines.add("CompilationException: " + first);
      lines.add("    " + piece.source().strip());
    }
    return new EvalFailure.CompilationException(first, lines);
  }

  private static String caret(String sourceLine, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < from && i < sourceLine.length(); i++) {
      sb.append(sourceLine.charAt(i) == '\t' ? '\t' : ' ');
    }
    int width = Math.max(1, to - from);
    sb.append('^');
    if (width > 1) {
      sb.append("-".repeat(width - 2)).append('^');
    }
    return sb.toString();
  }

  private EvalFailure runtimeError(JShellException thrown) {
    Throwable real = control.takeLastThrown();
    boolean interrupted = runner.interruptRequested();
    List<String> lines = new ArrayList<>();
    if (thrown instanceof UnresolvedReferenceException unresolved) {
      DeclarationSnippet sn = unresolved.getSnippet();
      String missing = String.join(", ", jshell.unresolvedDependencies(sn).toList());
      String message = describe(sn) + " cannot be used until " + missing + " is declared";
      lines.add("UnresolvedReferenceException: " + message);
      appendFrames(lines, thrown.getStackTrace());
      return new EvalFailure(message, lines, unresolved);
    }
    String className =
        thrown instanceof EvalException ee
            ? ee.getExceptionClassName()
            : thrown.getClass().getName();
    String message = thrown.getMessage();
    if (interrupted && (real instanceof ThreadDeath || "java.lang.ThreadDeath".equals(className))) {
      String text = "cell interrupted (its thread was stopped: the code did not check interrupts)";
      lines.add("InterruptedException: " + text);
      appendFrames(lines, thrown.getStackTrace());
      return new EvalFailure(text, lines, new InterruptedException(text));
    }
    lines.add(className + (message == null ? "" : ": " + message));
    appendFrames(lines, thrown.getStackTrace());
    Throwable cause = thrown.getCause();
    int depth = 0;
    while (cause != null && depth++ < 10) {
      String causeClass =
          cause instanceof EvalException ce
              ? ce.getExceptionClassName()
              : cause.getClass().getName();
      lines.add(
          "Caused by: "
              + causeClass
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
      appendFrames(lines, cause.getStackTrace());
      cause = cause.getCause();
    }
    if (interrupted) {
      lines.add("(the cell was interrupted)");
    }
    String summary = className + (message == null ? "" : ": " + message);
    if (real instanceof Exception ex) {
      return new EvalFailure(summary, lines, ex);
    }
    if (real instanceof Error) {
      return new EvalFailure.JavaError(summary, lines);
    }
    return new EvalFailure(summary, lines, null);
  }

  private void appendFrames(List<String> lines, StackTraceElement[] frames) {
    int library = 0;
    int skipped = 0;
    String previous = null;
    int repeats = 0;
    for (StackTraceElement f : frames) {
      String file = f.getFileName();
      Origin origin = file != null && file.startsWith("#") ? origins.get(file.substring(1)) : null;
      String line;
      if (origin != null) {
        int cellLine = origin.line() + Math.max(0, f.getLineNumber() - 1);
        String method = methodName(f.getMethodName());
        String where = where(origin.label(), cellLine);
        String text =
            f.getLineNumber() >= 1 && f.getLineNumber() <= origin.lines().length
                ? origin.lines()[f.getLineNumber() - 1].strip()
                : "";
        String head = method == null || method.isEmpty() ? where : method + " (" + where + ")";
        line = "    at " + head + (text.isEmpty() ? "" : ":  " + text);
      } else if (library < MAX_LIBRARY_FRAMES) {
        line = "    at " + f;
        library++;
      } else {
        skipped++;
        continue;
      }
      if (line.equals(previous)) {
        repeats++; // deep recursion: one line per distinct frame
        continue;
      }
      flushRepeats(lines, repeats);
      repeats = 0;
      lines.add(line);
      previous = line;
    }
    flushRepeats(lines, repeats);
    if (skipped > 0) {
      lines.add("    ... " + skipped + " more");
    }
  }

  /**
   * A cell frame's method as the user wrote it: nothing for JShell's wrappers ({@code do_it$},
   * {@code do_it$Aux}), {@code lambda} / {@code lambda in half} for {@code lambda$do_it$$0} /
   * {@code lambda$half$0}.
   */
  static String methodName(String method) {
    if (method == null || method.startsWith("do_it$")) {
      return "";
    }
    if (method.startsWith("lambda$")) {
      String inner = method.substring("lambda$".length(), Math.max(7, method.lastIndexOf('$')));
      return inner.isEmpty() || inner.startsWith("do_it$") ? "lambda" : "lambda in " + inner;
    }
    return method;
  }

  private static void flushRepeats(List<String> lines, int repeats) {
    if (repeats > 0) {
      lines.add("    ... (the line above repeated " + repeats + " more times)");
    }
  }

  private static String label(int cell) {
    return cell <= 0 ? "start-up" : "cell [" + cell + "]";
  }

  private static String where(String label, int line) {
    return label + ", line " + line;
  }

  private static int countNewlines(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to && i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }
}
