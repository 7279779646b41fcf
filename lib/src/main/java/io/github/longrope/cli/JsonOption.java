package io.github.longrope.cli;

import io.github.longrope.io.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --json}, shared by every subcommand: one machine-readable JSON document on stdout. It also
 * prints a command's report, since the flag decides how: {@link #print} writes the report record
 * through Jackson, or its text form, so no command builds its JSON field by field.
 */
public final class JsonOption {
  @Option(names = "--json")
  boolean json;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  public boolean enabled() {
    return json;
  }

  /** Prints {@code report} (a record, or a Jackson tree) as JSON with {@code --json}, else text. */
  void print(Object report, Supplier<String> text) {
    print(json ? Json.write(report) : text.get());
  }

  /**
   * Prints {@code report} as {@link #print(Object, Supplier)} does and returns exit status 0: the
   * last line of a command that succeeded.
   */
  int report(Object report, Supplier<String> text) {
    print(report, text);
    return 0;
  }

  /** Prints text on stdout, with or without {@code --json} (for output that has no JSON form). */
  void print(String text) {
    PrintWriter out = spec.commandLine().getOut();
    out.print(text);
    out.flush();
  }

  /** One {@code warning: …} line each on stderr. */
  void warn(List<String> warnings) {
    PrintWriter err = err();
    warnings.forEach(w -> err.println("warning: " + w));
    err.flush();
  }

  /** One progress line on stderr (stdout stays one JSON document). */
  void log(String line) {
    PrintWriter err = err();
    err.println(line);
    err.flush();
  }

  /** The command's stderr, for progress messages. */
  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
