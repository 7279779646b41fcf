package io.github.longrope.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** Entry point of {@code ./longrope}: dispatches to subcommands. */
@Command(
    name = "longrope",
    mixinStandardHelpOptions = true,
    version = "longrope workbench 0.1.0",
    description = "LongRoPE workbench: RoPE scaling, search, fine-tuning and evaluation.",
    subcommands = {RopeCommand.class, SeedCommand.class, HelpCommand.class})
public final class Main implements Runnable {
  /** Exit status for bad input (a clear message on stderr, no stack trace). */
  public static final int BAD_INPUT = 2;

  @Override
  public void run() {
    CommandLine.usage(this, System.err);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit status (tests call this). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof IllegalArgumentException || e instanceof UncheckedIOException) {
            PrintWriter err = commandLine.getErr();
            err.println("longrope " + commandLine.getCommandName() + ": error: " + e.getMessage());
            err.flush();
            return BAD_INPUT;
          }
          throw e;
        });
    return cl;
  }
}
