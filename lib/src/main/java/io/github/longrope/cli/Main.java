package io.github.longrope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.Json;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./longrope}: dispatches to subcommands. */
@Command(
    name = "longrope",
    mixinStandardHelpOptions = true,
    version = "longrope workbench 0.1.0",
    resourceBundle = "io.github.longrope.cli.Messages",
    subcommands = {
      RopeCommand.class,
      SeedCommand.class,
      PplCommand.class,
      SearchCommand.class,
      TrainCommand.class,
      DataCommand.class,
      BenchCommand.class,
      QuickstartCommand.class,
      ExportCommand.class,
      PasskeyCommand.class,
      BoundaryCommand.class,
      LogitsCommand.class,
      McCommand.class,
      ClozeCommand.class,
      EvalCommand.class,
      PipelineCommand.class,
      PlanCommand.class
    })
public final class Main implements Callable<Integer> {
  /** Exit status for bad input (a clear message on stderr, no stack trace). */
  public static final int BAD_INPUT = 2;

  /** No subcommand: show the usage and fail. */
  @Override
  public Integer call() {
    CommandLine.usage(this, System.err);
    return BAD_INPUT;
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
            String command = commandLine.getCommandName();
            PrintWriter err = commandLine.getErr();
            err.println("longrope " + command + ": error: " + e.getMessage());
            err.flush();
            if (parseResult.originalArgs().contains("--json")) {
              // --json promises one JSON document on stdout, failures included
              ObjectNode doc = Json.MAPPER.createObjectNode();
              doc.put("command", command);
              doc.put("error", e.getMessage());
              commandLine.getOut().print(Json.write(doc));
              commandLine.getOut().flush();
            }
            return BAD_INPUT;
          }
          throw e;
        });
    return cl;
  }
}
