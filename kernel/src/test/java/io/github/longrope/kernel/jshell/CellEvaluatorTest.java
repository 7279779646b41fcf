package io.github.longrope.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** JShell in this JVM, without Jupyter: values, errors, interrupts, completion. */
class CellEvaluatorTest {
  private static CellEvaluator jshell;

  @BeforeAll
  static void start() throws EvalFailure {
    jshell = new CellEvaluator(500);
    jshell.importDefaults();
  }

  @AfterAll
  static void stop() {
    jshell.close();
  }

  private static CellEvaluator.Result eval(String code) throws EvalFailure {
    jshell.beginCell();
    return jshell.eval(code, 1, 1);
  }

  private static EvalFailure failure(String code, int cell) {
    jshell.beginCell();
    return assertThrows(EvalFailure.class, () -> jshell.eval(code, cell, 1));
  }

  @Test
  void theLastExpressionIsTheValue() throws EvalFailure {
    CellEvaluator.Result r = eval("int x = 20;\nint y = 22;\nx + y");
    assertTrue(r.present());
    assertEquals(42, r.value());
  }

  @Test
  void valuesAreRealObjectsOfTheKernelsClasses() throws EvalFailure {
    Object sb = eval("new StringBuilder(\"ab\").append('c')").value();
    assertInstanceOf(StringBuilder.class, sb);
    Object table = eval("Table.create(\"t\")").value();
    // same class (same loader) as the kernel's: renderers registered on Table.class match
    assertSame(Table.class, table.getClass());
  }

  @Test
  void aTypedSemicolonHidesTheValue() throws EvalFailure {
    assertFalse(eval("1 + 1;").present());
    assertFalse(eval("int hidden = 3;").present());
    assertEquals(3, eval("int shown = 3").value());
    assertFalse(eval("if (true) { }").present());
    assertFalse(eval("void noop() {}").present());
    assertTrue(eval("String nothing = null").present());
    assertNull(eval("nothing").value());
  }

  @Test
  void aSemicolonBeforeATrailingCommentStillHidesTheValue() throws EvalFailure {
    assertFalse(eval("int quiet = 3; // a note").present());
    assertFalse(eval("int quieter = 4; /* a note */\n// and another\n").present());
    assertEquals(5, eval("int loud = 5 // no semicolon").value());
    assertEquals("a;", eval("String s1 = \"a;\" // ends in a string").value());
    assertEquals("x // y", eval("\"x // y\"").value());
    assertFalse(eval("String s2 = \"//\"; // comment").present());
  }

  @Test
  void semicolonsAreFoundOutsideCommentsAndLiterals() {
    assertTrue(CellSplitter.endsWithSemicolon("x; // c"));
    assertTrue(CellSplitter.endsWithSemicolon("x; /* c; */ \n"));
    assertFalse(CellSplitter.endsWithSemicolon("x // c;"));
    assertFalse(CellSplitter.endsWithSemicolon("\"a;\""));
    assertFalse(CellSplitter.endsWithSemicolon("'\\''"));
    assertTrue(CellSplitter.endsWithSemicolon("String t = \"\"\"\n  a \"; //\n  \"\"\"; // c"));
    assertFalse(CellSplitter.endsWithSemicolon("f(\"\\\"//\") /* ; */"));
  }

  @Test
  void commentsAndBlankLinesAreFine() throws EvalFailure {
    assertEquals(
        7, eval("\n// a comment\n  int seven = 7; /* more */\n\nseven // trailing\n").value());
    assertFalse(eval("// only a comment").present());
  }

  @Test
  void anExceptionNamesItsRealClassMessageAndCellLine() {
    EvalFailure f = failure("int a = 1;\n\nthrow new IllegalStateException(\"boom\");", 7);
    assertInstanceOf(IllegalStateException.class, f.reported());
    assertEquals("boom", f.reported().getMessage());
    List<String> tb = f.traceback();
    assertEquals("java.lang.IllegalStateException: boom", tb.get(0));
    assertTrue(
        tb.get(1).contains("cell [7], line 3") && tb.get(1).contains("throw new"), tb.toString());
  }

  @Test
  void framesInMethodsOfEarlierCellsPointThere() throws EvalFailure {
    jshell.beginCell();
    jshell.eval(
        "int half(int n) {\n  if (n < 0)\n    throw new IllegalArgumentException(\"negative\");\n"
            + "  return n / 2;\n}",
        3,
        1);
    EvalFailure f = failure("\nhalf(-1)", 4);
    String tb = String.join("\n", f.traceback());
    assertTrue(tb.contains("at half (cell [3], line 3):  throw new IllegalArgumentException"), tb);
    assertTrue(tb.contains("at cell [4], line 2:  half(-1)"), tb);
  }

  @Test
  void linesCountFromTheFirstLineOfTheCodePart() {
    jshell.beginCell();
    EvalFailure f =
        assertThrows(EvalFailure.class, () -> jshell.eval("int q = 0;\nint r = 1 / q;", 5, 4));
    assertTrue(
        String.join("\n", f.traceback()).contains("cell [5], line 5"), f.traceback().toString());
  }

  @Test
  void tracebacksShowNoInternalFrames() throws EvalFailure {
    eval("java.util.function.Function<String, Integer> len = s -> s.length();");
    EvalFailure f = failure("String nothing = null;\nint n = len.apply(nothing);", 6);
    String tb = String.join("\n", f.traceback());
    for (String internal :
        List.of(
            "do_it$",
            "jdk.jshell",
            "reflect",
            "SnippetRunner",
            "CapturingExecution",
            "Thread.run")) {
      assertFalse(tb.contains(internal), internal + " in\n" + tb);
    }
    assertTrue(tb.contains("at lambda (cell [1], line 1):  java.util.function.Function"), tb);
    assertTrue(tb.contains("at cell [6], line 2:  int n = len.apply(nothing);"), tb);
    assertTrue(tb.startsWith("java.lang.NullPointerException"), tb);
    assertTrue(tb.lines().findFirst().orElseThrow().contains("because \"s\" is null"), tb);
  }

  @Test
  void causesAreListed() {
    EvalFailure f =
        failure("throw new RuntimeException(\"outer\", new java.io.IOException(\"inner\"));", 1);
    assertTrue(
        f.traceback().contains("Caused by: java.io.IOException: inner"), f.traceback().toString());
  }

  @Test
  void compileErrorsShowTheLineAndACaret() {
    EvalFailure f = failure("int ok = 1;\nint z = \"s\";", 2);
    assertInstanceOf(EvalFailure.CompilationException.class, f.reported());
    List<String> tb = f.traceback();
    assertTrue(
        tb.get(0).startsWith("CompilationException: cell [2], line 2: incompatible types"),
        tb.toString());
    assertEquals("    int z = \"s\";", tb.get(1));
    assertEquals("            ^-^", tb.get(2));
  }

  @Test
  void incompleteCellsAreCompileErrors() {
    EvalFailure f = failure("int fine = 1;\nfor (int i = 0; i < 3; i++) {", 1);
    assertInstanceOf(EvalFailure.CompilationException.class, f.reported());
    assertTrue(f.getMessage().startsWith("incomplete input"), f.getMessage());
    assertTrue(f.traceback().get(1).contains("line 2"), f.traceback().toString());
  }

  @Test
  void errorsAreReportedAndRecursionIsFolded() throws EvalFailure {
    eval("int down(int n) { return down(n + 1) + 1; }");
    EvalFailure f = failure("down(0)", 9);
    assertInstanceOf(EvalFailure.JavaError.class, f.reported());
    assertTrue(f.getMessage().startsWith("java.lang.StackOverflowError"), f.getMessage());
    assertTrue(f.traceback().size() < 10, f.traceback().toString());
    assertTrue(f.traceback().get(2).contains("repeated"), f.traceback().toString());
  }

  @Test
  void callingAMethodWithUndefinedReferencesSaysWhatIsMissing() throws EvalFailure {
    eval("void later() { helperNotYetWritten(); }");
    EvalFailure f = failure("later()", 3);
    assertInstanceOf(jdk.jshell.UnresolvedReferenceException.class, f.reported());
    assertTrue(
        f.getMessage().contains("later") && f.getMessage().contains("helperNotYetWritten"),
        f.getMessage());
  }

  @Test
  void aCooperativeLoopStopsOnInterrupt() throws Exception {
    jshell.beginCell();
    CompletableFuture<EvalFailure> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                jshell.eval(
                    "for (long i = 0; ; i++) {\n  if (Thread.currentThread().isInterrupted())\n"
                        + "    throw new java.util.concurrent.CancellationException(\"stopped\");\n}",
                    1,
                    1);
                return null;
              } catch (EvalFailure f) {
                return f;
              }
            });
    Thread.sleep(500);
    jshell.interrupt();
    EvalFailure f = run.get(20, TimeUnit.SECONDS);
    assertInstanceOf(CancellationException.class, f.reported());
    assertTrue(f.traceback().contains("(the cell was interrupted)"), f.traceback().toString());
    assertEquals(2, eval("1 + 1").value());
  }

  /** Runs {@code code} as cell 1 and presses the stop button after {@code millis}. */
  private static CompletableFuture<Object> interruptedAfter(String code, long millis)
      throws InterruptedException {
    jshell.beginCell();
    CompletableFuture<Object> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return jshell.eval(code, 1, 1).value();
              } catch (EvalFailure f) {
                return f;
              }
            });
    Thread.sleep(millis);
    jshell.interrupt();
    return run;
  }

  @Test
  void codeThatHandlesTheInterruptLetsTheRestOfTheCellRun() throws Exception {
    Object value =
        interruptedAfter(
                "String how;\ntry {\n  Thread.sleep(60_000);\n  how = \"slept\";\n"
                    + "} catch (InterruptedException e) {\n  how = \"stopped, then went on\";\n}\n"
                    + "how",
                700)
            .get(20, TimeUnit.SECONDS);
    assertEquals("stopped, then went on", value);
    assertEquals(2, eval("1 + 1").value());
  }

  @Test
  void anIgnoredInterruptSaysWhichLinesDidNotRun() throws Exception {
    Object f =
        interruptedAfter(
                // sees the interrupt but neither clears it nor stops: the request stays
                "int spins = 0;\nwhile (!Thread.currentThread().isInterrupted()) { spins++; }\n"
                    + "int skipped = 1;\nskipped + 1",
                700)
            .get(20, TimeUnit.SECONDS);
    EvalFailure failure = assertInstanceOf(EvalFailure.class, f);
    assertInstanceOf(InterruptedException.class, failure.reported());
    List<String> tb = failure.traceback();
    assertEquals(
        "Interrupted: the interrupt button stopped cell [1], line 3; lines 3–4 did not run:",
        tb.get(0));
    assertEquals("    int skipped = 1;  …", tb.get(1));
  }

  @Test
  void aLoopThatIgnoresInterruptsIsStoppedAndTheRestOfTheCellSkipped() throws Exception {
    eval("int after = 0;");
    jshell.beginCell();
    CompletableFuture<EvalFailure> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                jshell.eval("while (true) {}\nafter = 1;", 1, 1);
                return null;
              } catch (EvalFailure f) {
                return f;
              }
            });
    Thread.sleep(300);
    jshell.interrupt();
    EvalFailure f = run.get(30, TimeUnit.SECONDS);
    assertInstanceOf(InterruptedException.class, f.reported());
    assertEquals(0, eval("after").value());
  }

  @Test
  void anInterruptBetweenCellsDoesNotLeakIntoTheNext() throws EvalFailure {
    jshell.interrupt();
    assertEquals(5, eval("Thread.sleep(50);\n5").value());
  }

  @Test
  void completionUsesTheSnippetAtTheCursor() throws EvalFailure {
    CellEvaluator.Completion c = jshell.complete("int k = 1;\nMath.ma", 18);
    assertTrue(c.matches().contains("max("), c.toString());
    assertEquals(16, c.start());
    assertEquals(18, c.end());
    eval("String str = \"\";"); // completion knows what has run, not the rest of the cell
    String code = "%time 1\nint unused = 0;\nstr.isEm";
    CellEvaluator.Completion m = jshell.complete(code, code.length());
    assertEquals(List.of("isEmpty()"), m.matches());
  }

  @Test
  void inspectionShowsSignaturesAndVariables() throws EvalFailure {
    String doc = jshell.inspect("Math.max(1, 2)", 6);
    assertTrue(doc.contains("int Math.max(int a, int b)"), doc);
    eval("int inspected = 41 + 1;");
    assertEquals("int inspected = 42", jshell.inspect("inspected", 3));
    assertNull(jshell.inspect("   ", 1));
  }

  @Test
  void isCompleteFollowsJShell() {
    assertEquals("complete", jshell.isComplete("int a = 1;"));
    assertEquals("complete", jshell.isComplete("a + 1"));
    assertEquals("    ", jshell.isComplete("for (int i = 0; i < 3; i++) {"));
    assertEquals("complete", jshell.isComplete(""));
  }

  @Test
  void classFoldersAndJarsCanBeAdded(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src/demo/Hello.java");
    Files.createDirectories(src.getParent());
    Files.writeString(
        src, "package demo; public class Hello { public static String hi() { return \"hi\"; } }");
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", classes.toString(), src.toString());
    assertEquals(0, rc);
    jshell.addToClasspath(List.of(classes));
    assertEquals("hi", eval("demo.Hello.hi()").value());
  }
}
