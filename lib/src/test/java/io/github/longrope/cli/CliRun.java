package io.github.longrope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the CLI in-process and captures what it prints. */
record CliRun(int exit, String out, String err) {
  static CliRun of(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /**
   * A command line written as one string, each {@code {}} word replaced by the next of {@code
   * values} (so that a path with spaces stays one argument).
   */
  static String[] words(String line, Object... values) {
    String[] w = line.strip().split("\\s+");
    int next = 0;
    for (int i = 0; i < w.length; i++) {
      if (w[i].equals("{}")) {
        w[i] = String.valueOf(values[next++]);
      }
    }
    if (next != values.length) {
      throw new IllegalArgumentException(values.length + " values for " + next + " {} in " + line);
    }
    return w;
  }

  /** Runs {@link #words}{@code (line, values)}. */
  static CliRun line(String line, Object... values) {
    return of(words(line, values));
  }

  /** {@code base} followed by {@code more}: a test's fixed flags plus the case's own. */
  static String[] concat(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  JsonNode json() {
    if (exit != 0) {
      throw new AssertionError("exit " + exit + ": " + err);
    }
    return Json.parseObject(out, "stdout");
  }

  static double[] doubles(JsonNode array) {
    double[] v = new double[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = array.get(i).asDouble();
    }
    return v;
  }
}
