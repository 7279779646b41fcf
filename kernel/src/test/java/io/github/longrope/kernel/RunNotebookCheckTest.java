package io.github.longrope.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/run-notebook --check}: a notebook re-executed headless reproduces its saved
 * outputs when only timings differ; a changed number is named with its cell and context, and the
 * exit status is 1.
 */
class RunNotebookCheckTest {
  private static final String KERNEL = "longrope-check-test";
  private static Path dataDir;

  @TempDir Path dir;

  @BeforeAll
  static void install() throws IOException {
    JupyterTools.require();
    dataDir = Files.createTempDirectory("jupyter-data");
    JupyterTools.installTestKernel(dataDir, KERNEL, List.of(), Map.of());
  }

  private JupyterTools.Run run(String... args) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(JupyterTools.PYTHON, "scripts/run-notebook", "--kernel", KERNEL));
    cmd.addAll(List.of(args));
    return JupyterTools.run(cmd, JupyterTools.jupyterEnv(dataDir), 300);
  }

  @Test
  void timingsMayDifferNumbersMayNot() throws Exception {
    Path nb = dir.resolve("check.ipynb");
    Files.writeString(
        nb,
        """
        {"nbformat": 4, "nbformat_minor": 5,
         "metadata": {"kernelspec": {"name": "longrope", "display_name": "LongRoPE (Java)",
                                      "language": "java"}},
         "cells": [
          {"cell_type": "code", "id": "a", "metadata": {}, "execution_count": null, "outputs": [],
           "source": "System.out.println(\\"took \\" + (1 + System.nanoTime() % 997) + \\" ms\\");"},
          {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": null, "outputs": [],
           "source": "String.format(\\"perplexity %.2f at %d\\", 12.25, 2048)"},
          {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": null, "outputs": [],
           "source": "Table.create(\\"run\\", DoubleColumn.create(\\"ppl\\", 31.5), DoubleColumn.create(\\"seconds\\", 0.5 + (System.nanoTime() / 1000) % 1000003))"}
         ]}
        """);
    Path saved = dir.resolve("saved.ipynb");
    JupyterTools.Run first = run(nb.toString(), "--output", saved.toString());
    assertEquals(0, first.exitCode(), first.output());

    JupyterTools.Run same = run(saved.toString(), "--check");
    assertEquals(0, same.exitCode(), same.output());
    assertTrue(same.output().contains("reproduces its saved outputs"), same.output());

    // a table's seconds column is a timing; its other columns are numbers like any other
    assertTrue(same.output().contains("seconds="), same.output());

    Files.writeString(
        saved, Files.readString(saved).replace("perplexity 12.25", "perplexity 12.26"));
    JupyterTools.Run changed = run(saved.toString(), "--check");
    assertEquals(1, changed.exitCode(), changed.output());
    assertTrue(
        changed.output().contains("DIFFERS cell 1") && changed.output().contains("12.26 -> 12.25"),
        changed.output());
    assertTrue(changed.output().contains("does NOT reproduce"), changed.output());
  }
}
