package io.github.longrope.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel driven by a real Jupyter client: {@code kernel/src/test/python/kernel_roundtrip.py}
 * (Debian's jupyter_client) starts it from a kernelspec and checks execute results, display_data
 * (PNG chart, HTML table), update_display_data, errors with class and cell line, complete, inspect,
 * is_complete, interrupts (cooperative loop, sleep, busy loop; the kernel stays usable),
 * out-of-memory, magics and shutdown.
 */
class KernelProtocolTest {
  private static final String SCRIPT = "kernel/src/test/python/kernel_roundtrip.py";

  @TempDir static Path dataDir;

  @BeforeAll
  static void install() throws Exception {
    JupyterTools.require();
    JupyterTools.installTestKernel(
        dataDir,
        "longrope-test",
        // a small heap so that the out-of-memory check is quick
        List.of("-Xmx384m"),
        Map.of("LONGROPE_KERNEL_INTERRUPT_GRACE_MS", "2000"));
  }

  @Test
  void roundTripThroughJupyterClient() throws Exception {
    JupyterTools.Run run =
        JupyterTools.run(
            List.of(JupyterTools.PYTHON, SCRIPT, "--kernel", "longrope-test", "--timeout", "180"),
            JupyterTools.jupyterEnv(dataDir),
            900);
    System.out.println(run.output());
    assertEquals(0, run.exitCode(), "kernel_roundtrip.py failed:\n" + run.output());
  }

  @Test
  void kernelExitsWhenItsParentDies() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                JupyterTools.PYTHON,
                SCRIPT,
                "--kernel",
                "longrope-test",
                "--timeout",
                "180",
                "--orphan")
            .directory(JupyterTools.home().toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(new HashMap<>(JupyterTools.jupyterEnv(dataDir)));
    Process parent = pb.start();
    long kernelPid = -1;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("KERNEL_PID ")) {
          kernelPid = Long.parseLong(line.substring("KERNEL_PID ".length()).strip());
          break;
        }
      }
      assertFalse(kernelPid < 0, "the orphan script did not report a kernel pid");
      Optional<ProcessHandle> kernel = ProcessHandle.of(kernelPid);
      assertNotNull(kernel.orElse(null), "kernel process not found");
      parent.destroyForcibly(); // SIGKILL: no shutdown request reaches the kernel
      parent.waitFor(30, TimeUnit.SECONDS);
      boolean exited =
          kernel
              .get()
              .onExit()
              .thenApply(p -> true)
              .completeOnTimeout(false, 30, TimeUnit.SECONDS)
              .get();
      if (!exited) {
        kernel.get().destroyForcibly();
      }
      assertEquals(true, exited, "kernel still running 30 s after its parent was killed");
    } finally {
      parent.destroyForcibly();
    }
  }
}
