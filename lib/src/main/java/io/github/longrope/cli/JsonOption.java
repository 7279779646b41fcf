package io.github.longrope.cli;

import picocli.CommandLine.Option;

/** {@code --json}, shared by every subcommand: one machine-readable JSON document on stdout. */
public final class JsonOption {
  @Option(
      names = "--json",
      description = "Print one machine-readable JSON document on stdout (messages go to stderr).")
  boolean json;

  public boolean enabled() {
    return json;
  }
}
