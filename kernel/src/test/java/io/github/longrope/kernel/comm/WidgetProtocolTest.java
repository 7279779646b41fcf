package io.github.longrope.kernel.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.longrope.kernel.JupyterTools;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Widgets on the wire: {@code kernel/src/test/python/widgets_roundtrip.py} drives the kernel with
 * Debian's jupyter_client as the front end would (comm_open, update both ways, a click,
 * request_state, comm_info, the version handshake, comm_close) and executes a widget notebook with
 * nbclient, checking the saved widget state and static outputs.
 */
class WidgetProtocolTest {
  private static final String SCRIPT = "kernel/src/test/python/widgets_roundtrip.py";

  @TempDir static Path dataDir;
  @TempDir Path runDir;

  @BeforeAll
  static void install() throws Exception {
    JupyterTools.require();
    JupyterTools.installTestKernel(dataDir, "longrope-widgets-test", List.of(), Map.of());
  }

  @Test
  void widgetsRoundTripThroughJupyterClient() throws Exception {
    JupyterTools.Run run =
        JupyterTools.run(
            List.of(
                JupyterTools.PYTHON,
                SCRIPT,
                "--kernel",
                "longrope-widgets-test",
                "--timeout",
                "120"),
            JupyterTools.jupyterEnv(dataDir),
            600);
    System.out.println(run.output());
    assertEquals(0, run.exitCode(), "widgets_roundtrip.py failed:\n" + run.output());
  }

  /**
   * Notebook 03's buttons on a real (small) search: Stop ends it within one evaluation of the
   * click, Start resumes it from history.jsonl to the end ({@code search_startstop.py}).
   */
  @Test
  void stopAndStartARealSearch() throws Exception {
    JupyterTools.Run run =
        JupyterTools.run(
            List.of(
                JupyterTools.PYTHON,
                "kernel/src/test/python/search_startstop.py",
                "--kernel",
                "longrope-widgets-test",
                "--run",
                runDir.resolve("search").toString()),
            JupyterTools.jupyterEnv(dataDir),
            900);
    System.out.println(run.output());
    assertEquals(0, run.exitCode(), "search_startstop.py failed:\n" + run.output());
  }
}
