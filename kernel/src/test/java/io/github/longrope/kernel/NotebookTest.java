package io.github.longrope.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every notebook in {@code notebooks/} headless on the kernel (scripts/run-notebook, i.e.
 * nbclient against a kernelspec installed in a temporary Jupyter data folder), with a per-cell time
 * limit; any cell error fails the test. Executed copies go to {@code kernel/target/notebooks/}.
 */
class NotebookTest {
  private static final int CELL_TIMEOUT_SECONDS = 300;
  private static final String KERNEL = "longrope-nb-test";

  private static Path dataDir;

  @BeforeAll
  static void install() throws IOException {
    JupyterTools.require();
    dataDir = Files.createTempDirectory("jupyter-data");
    JupyterTools.installTestKernel(dataDir, KERNEL, List.of(), Map.of());
  }

  static Stream<String> notebooks() throws IOException {
    try (Stream<Path> files = Files.list(JupyterTools.home().resolve("notebooks"))) {
      List<String> names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".ipynb"))
              .sorted()
              .toList();
      assertFalse(names.isEmpty(), "no notebooks found");
      return names.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("notebooks")
  void runsWithoutCellErrors(String notebook) throws Exception {
    Path out = JupyterTools.home().resolve("kernel/target/notebooks");
    Files.createDirectories(out);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                JupyterTools.PYTHON,
                "scripts/run-notebook",
                "notebooks/" + notebook,
                "--kernel",
                KERNEL,
                "--timeout",
                "" + CELL_TIMEOUT_SECONDS,
                "--output",
                out.resolve(notebook).toString()));
    if (notebook.startsWith("01-")) {
      // the RoPE notebook shows tables and charts: both renderers must have fired
      cmd.addAll(List.of("--expect-mime", "image/png", "--expect-mime", "text/html"));
    }
    JupyterTools.Run run = JupyterTools.run(cmd, JupyterTools.jupyterEnv(dataDir), 1800);
    System.out.println(run.output());
    assertEquals(0, run.exitCode(), notebook + " failed:\n" + run.output());
  }
}
