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
 *
 * <p>Notebooks that run the model get a reduced budget through their parameters cell ({@link
 * #CI_PARAMS}), sized for about a minute each on 2 cores. The first one that reads the corpus
 * builds it when the checkout has none (a few minutes, once), as a fresh clone's user would.
 */
class NotebookTest {
  /** Per cell: generous, since the first corpus-reading cell may build the corpus. */
  private static final int CELL_TIMEOUT_SECONDS = 900;

  /** Reduced budgets: notebook → {@code --param NAME=VALUE} for its cell tagged "parameters". */
  static final Map<String, List<String>> CI_PARAMS =
      Map.of(
          "02-perplexity-vs-length.ipynb",
          List.of("pieces=1", "lengths=List.of(256, 512, 1024, 2048)"),
          "03-evolution-search.ipynb",
          List.of(
              "target=1024",
              "samples=1",
              "population=6",
              "iterations=2",
              "mutations=3",
              "crossovers=3",
              "parents=3",
              "run=\"kernel/target/notebook-runs/03-search\"",
              "fresh=true"),
          "04-progressive-extension.ipynb",
          List.of(
              "firstTarget=512",
              "finalTarget=2048",
              "population=4",
              "finetuneSteps=2",
              "evalLengths=List.of(256, 512, 2048)",
              "run=\"kernel/target/notebook-runs/04-pipeline\"",
              "fresh=true"),
          "05-passkey.ipynb",
          List.of("lengths=List.of(180, 512, 1024)", "depths=3", "trials=1", "boundaryTrials=2"),
          "06-your-own-model.ipynb",
          List.of(
              "target=1024",
              "population=4",
              "out=\"kernel/target/notebook-runs/06-own-model\"",
              "fresh=true"),
          "07-longrope2.ipynb",
          List.of(
              "target=1024",
              "population=4",
              "iterations=1",
              "mutations=2",
              "crossovers=2",
              "parents=2",
              "lengths=List.of(256, 1024)",
              "pieces=1",
              "run=\"kernel/target/notebook-runs/07-search\"",
              "fresh=true"));

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
    // every notebook shows tables and charts: both renderers must have fired
    cmd.addAll(List.of("--expect-mime", "image/png", "--expect-mime", "text/html"));
    for (String p : CI_PARAMS.getOrDefault(notebook, List.of())) {
      cmd.addAll(List.of("--param", p));
    }
    JupyterTools.Run run = JupyterTools.run(cmd, JupyterTools.jupyterEnv(dataDir), 1800);
    System.out.println(run.output());
    assertEquals(0, run.exitCode(), notebook + " failed:\n" + run.output());
  }
}
