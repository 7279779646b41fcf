package io.github.longrope.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.kernel.display.TracebackColors;
import io.github.longrope.kernel.magic.MagicException;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's callbacks in-process (no sockets): magics + Java, rendering, errors. */
class LongRopeKernelTest {
  private static LongRopeKernel kernel;

  @BeforeAll
  static void start() {
    // %maven resolves from the local repository only: no test needs the network
    kernel =
        new LongRopeKernel(
            KernelConfig.fromEnvironment(java.util.Map.of("LONGROPE_KERNEL_MAVEN_OFFLINE", "1")));
  }

  @AfterAll
  static void stop() {
    kernel.close();
  }

  /** The error's traceback as the user reads it (colour codes removed). */
  private static String errorText(Exception e) {
    return TracebackColors.plain(String.join("\n", kernel.formatError(e)));
  }

  @Test
  void magicsAndJavaRunInOrder() throws Exception {
    Object v = kernel.runCell("int base = 40;\n%time base += 1;\nbase + 1", 1).value();
    assertEquals(42, v);
    assertEquals(6 * 7, kernel.runCell("%%time\nint q = 6;\nq * 7", 2).value());
  }

  @Test
  void javaLinesStartingWithPercentAreJava() throws Exception {
    assertEquals(
        50, kernel.runCell("int step = 250;\nint bucket = step\n    % 100;\nbucket", 3).value());
    assertEquals(
        "5 tokens\n%time x\n",
        kernel
            .runCell(
                "String fmt = \"\"\"\n    %d tokens\n    %%time x\n    \"\"\";\nfmt.formatted(5)",
                4)
            .value());
    assertEquals(3, kernel.runCell("int m = 7;\n%time m = m % 4;\nm", 5).value());
    // an expression continued by a magic-looking line is Java: the compiler says so, with a hint
    Exception e = assertThrows(Exception.class, () -> kernel.eval("int late = 7\n%time late"));
    String text = errorText(e);
    assertTrue(text.contains("a line starting with % is a magic only where"), text);
  }

  @Test
  void varsImportsAndMethodsShowWhatTheSessionHolds(@TempDir Path dir) throws Exception {
    kernel.runCell(
        "double lr = 0.5;\nString who = \"x\";\nlr = 0.25;\n"
            + "long twice(int n) { return 2L * n; }\nrecord Pair(int a, int b) {}\n1 + 2",
        7);
    String vars = (String) kernel.runCell("%vars", 8).value();
    assertTrue(vars.lines().anyMatch(l -> l.matches("double +lr +0\\.25")), vars);
    assertTrue(vars.lines().anyMatch(l -> l.matches("String +who +\"x\"")), vars);
    assertTrue(vars.lines().noneMatch(l -> l.contains("$")), vars);
    assertEquals(1, vars.lines().filter(l -> l.contains(" lr ")).count(), vars);
    String imports = (String) kernel.runCell("%imports", 9).value();
    assertTrue(imports.contains("import java.util.*;"), imports);
    String methods = (String) kernel.runCell("%methods", 10).value();
    assertTrue(methods.contains("long twice(int)") && methods.contains("record Pair"), methods);
    Path script = Files.writeString(dir.resolve("setup.jsh"), "int fromFile = 6;\nfromFile * 7\n");
    assertEquals(42, kernel.runCell("%load " + script, 11).value());
    Path bad = Files.writeString(dir.resolve("bad.jsh"), "int ok = 1;\nint no = \"s\";\n");
    Exception e = assertThrows(Exception.class, () -> kernel.eval("%load " + bad));
    String text = errorText(e);
    assertTrue(text.contains("bad.jsh, line 2"), text);
  }

  @Test
  void mavenRefusesASecondVersionOfAKernelJarAndResolvesInProcess() throws Exception {
    // the kernel itself runs on gson 2.8.5 (jupyter-jvm-basekernel)
    Exception refused =
        assertThrows(
            MagicException.class, () -> kernel.eval("%maven com.google.code.gson:gson:2.11.0"));
    String text = errorText(refused);
    assertTrue(text.contains("conflicts with gson 2.8.5 on the kernel's class path"), text);
    Exception unknown =
        assertThrows(Exception.class, () -> kernel.eval("com.google.gson.Strictness.LENIENT"));
    assertTrue(
        errorText(unknown).contains("CompilationException"),
        "the 2.11-only class must not be loadable after the refusal");

    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.out;
    System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      kernel.runCell("%maven com.google.code.gson:gson:2.8.5", 12);
      kernel.runCell(
          "%%loadFromPOM\n<dependency><groupId>org.apache.commons</groupId>"
              + "<artifactId>commons-text</artifactId><version>1.12.0</version></dependency>",
          13);
      Object v =
          kernel
              .runCell("org.apache.commons.text.WordUtils.capitalizeFully(\"hello world\")", 14)
              .value();
      assertEquals("Hello World", v);
    } finally {
      System.setOut(saved);
    }
    String printed = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(printed.contains("already on the kernel class path: gson-2.8.5.jar"), printed);
    assertTrue(printed.contains("commons-text-1.12.0.jar"), printed);
    Exception second =
        assertThrows(
            MagicException.class,
            () -> kernel.eval("%maven org.apache.commons:commons-text:1.10.0"));
    assertTrue(errorText(second).contains("added earlier in this session"));
  }

  @Test
  void runRecordsWrittenFromTheKernelCarryTheStamp() throws Exception {
    DisplayData d = kernel.eval("io.github.longrope.io.RunStamp.installed()");
    assertEquals("true", d.getData(MIMEType.TEXT_PLAIN));
  }

  @Test
  void evalRendersTheValue() throws Exception {
    DisplayData d = kernel.eval("Table.create(\"t\", IntColumn.create(\"i\", new int[] {1, 2}))");
    assertTrue(((String) d.getData(MIMEType.TEXT_HTML)).contains("<table"));
    assertNull(kernel.eval("int quiet = 1;"));
  }

  @Test
  void errorsAreTheRealExceptionWithTheFormattedTraceback() {
    Exception e =
        assertThrows(Exception.class, () -> kernel.eval("Object o = null;\no.hashCode()"));
    assertInstanceOf(NullPointerException.class, e);
    List<String> lines = kernel.formatError(e).stream().map(TracebackColors::plain).toList();
    assertTrue(lines.get(0).startsWith("java.lang.NullPointerException"), lines.toString());
    assertTrue(String.join("\n", lines).contains("line 2"), lines.toString());
    assertTrue(
        kernel.formatError(e).get(0).startsWith("\u001b[1;31mjava.lang.NullPointerException"),
        "the error line is bold red");
    Exception magic = assertThrows(MagicException.class, () -> kernel.eval("%nope"));
    assertTrue(
        TracebackColors.plain(kernel.formatError(magic).get(0))
            .startsWith("MagicException: unknown line magic"));
  }

  @Test
  void isCompleteUnderstandsMagics() {
    assertEquals("complete", kernel.isComplete("%%time\nfor (;;) {"));
    assertEquals("complete", kernel.isComplete("%time 1\nint a = 1;"));
    assertEquals("    ", kernel.isComplete("%time 1\nfor (;;) {"));
  }

  @Test
  void completionInMagicLinesAndNoTemporaries() throws Exception {
    kernel.runCell("1 + 1", 6); // JShell names this $N
    var empty = kernel.complete("", 0).getReplacements();
    assertTrue(empty.stream().noneMatch(s -> s.startsWith("$")), empty.toString());
    assertTrue(kernel.complete("%ti", 3).getReplacements().equals(List.of("%time")));
    var time = kernel.complete("%time Math.ma", 13).getReplacements();
    assertTrue(time.contains("max("), time.toString());
    var gson = kernel.complete("%maven com.google.code.gson:gson:2.8", 36).getReplacements();
    assertTrue(gson.contains("com.google.code.gson:gson:2.8.5"), gson.toString());
    assertTrue(
        ((String) kernel.inspect("%time Math.abs(1)", 12, false).getData(MIMEType.TEXT_PLAIN))
            .contains("abs("));
  }

  @Test
  void completeAndInspect() {
    var options = kernel.complete("Math.ab", 7);
    assertTrue(options.getReplacements().contains("abs("));
    assertTrue(
        ((String) kernel.inspect("Math.abs(1)", 6, false).getData(MIMEType.TEXT_PLAIN))
            .contains("abs("));
  }
}
