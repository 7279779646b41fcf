package io.github.longrope.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/run-notebook --param NAME=VALUE}: the assignment in the cell tagged "parameters"
 * is replaced before the kernel runs the notebook; a name that cell does not assign, or a notebook
 * without such a cell, is a usage error (status 2) before any kernel starts.
 */
class RunNotebookParamsTest {
  private static final String KERNEL = "longrope-params-test";
  private static Path dataDir;

  @TempDir Path dir;

  @BeforeAll
  static void install() throws IOException {
    JupyterTools.require();
    dataDir = Files.createTempDirectory("jupyter-data");
    JupyterTools.installTestKernel(dataDir, KERNEL, List.of(), Map.of());
  }

  /** A notebook whose first code cell (tagged "parameters" when asked) sets n and word. */
  private Path notebook(boolean tagged) throws IOException {
    String tags = tagged ? "\"tags\": [\"parameters\"]" : "";
    String json =
        """
        {"nbformat": 4, "nbformat_minor": 5,
         "metadata": {"kernelspec": {"name": "longrope", "display_name": "LongRoPE (Java)",
                                      "language": "java"}},
         "cells": [
          {"cell_type": "code", "id": "p", "metadata": {%s}, "execution_count": null,
           "outputs": [], "source": "int n = 2;  // how many\\nString word = \\"ab\\";"},
          {"cell_type": "code", "id": "u", "metadata": {}, "execution_count": null,
           "outputs": [], "source": "word.repeat(n) + \\"/\\" + (n * 21)"}
         ]}
        """
            .formatted(tags);
    Path nb = dir.resolve(tagged ? "params.ipynb" : "plain.ipynb");
    Files.writeString(nb, json);
    return nb;
  }

  private JupyterTools.Run runNotebook(Path nb, Path out, String... params) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                JupyterTools.PYTHON,
                "scripts/run-notebook",
                nb.toString(),
                "--kernel",
                KERNEL,
                "--output",
                out.toString()));
    for (String p : params) {
      cmd.addAll(List.of("--param", p));
    }
    return JupyterTools.run(cmd, JupyterTools.jupyterEnv(dataDir), 300);
  }

  @Test
  void aParameterReplacesTheAssignmentBeforeTheRun() throws Exception {
    Path out = dir.resolve("out.ipynb");
    JupyterTools.Run run = runNotebook(notebook(true), out, "n=3", "word=\"xy\"");
    assertEquals(0, run.exitCode(), run.output());
    String executed = Files.readString(out);
    assertTrue(executed.contains("xyxyxy/63"), executed);
    assertTrue(executed.contains("int n = 3;  // how many [--param; was: 2]"), executed);
    assertTrue(
        executed.contains("String word = \\\"xy\\\"; // --param; was: \\\"ab\\\""), executed);
    assertTrue(run.output().contains("parameter n (was: 2)"), run.output());
  }

  @Test
  void withoutParametersTheNotebookRunsAsWritten() throws Exception {
    Path out = dir.resolve("plain-out.ipynb");
    JupyterTools.Run run = runNotebook(notebook(false), out);
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(Files.readString(out).contains("abab/42"));
  }

  @Test
  void anUnknownNameOrAMissingParametersCellIsAUsageError() throws Exception {
    JupyterTools.Run unknown = runNotebook(notebook(true), dir.resolve("x.ipynb"), "m=1");
    assertEquals(2, unknown.exitCode(), unknown.output());
    assertTrue(unknown.output().contains("no assignment 'm = ...;'"), unknown.output());

    JupyterTools.Run untagged = runNotebook(notebook(false), dir.resolve("y.ipynb"), "n=1");
    assertEquals(2, untagged.exitCode(), untagged.output());
    assertTrue(untagged.output().contains("no code cell tagged 'parameters'"), untagged.output());

    JupyterTools.Run malformed = runNotebook(notebook(true), dir.resolve("z.ipynb"), "n");
    assertEquals(2, malformed.exitCode(), malformed.output());
    assertTrue(malformed.output().contains("expected NAME=VALUE"), malformed.output());
  }
}
