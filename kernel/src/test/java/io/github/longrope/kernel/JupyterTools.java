package io.github.longrope.kernel;

import io.github.longrope.kernel.install.KernelInstaller;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Jupyter (on /usr/bin/python3) for the protocol and notebook tests, and a kernelspec that
 * runs the kernel from this test JVM's class path.
 *
 * <p>Outside CI a missing Jupyter skips those tests; under {@code CI=true} it fails them (as the
 * PyTorch reference tests do), so they can never silently disappear from CI.
 */
public final class JupyterTools {
  public static final String PYTHON = "/usr/bin/python3";

  private JupyterTools() {}

  /** The repository root (surefire passes it as {@code longrope.home}). */
  public static Path home() {
    return Path.of(System.getProperty("longrope.home", "..")).toAbsolutePath().normalize();
  }

  /** Skips (locally) or fails (CI) unless jupyter_client, nbclient and nbformat import. */
  public static void require() {
    boolean ok;
    try {
      Process p =
          new ProcessBuilder(PYTHON, "-c", "import jupyter_client, nbclient, nbformat")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      ok = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ok = false;
    }
    if (!ok && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(
          "CI must install Debian's Jupyter (scripts/ensure-tools --tests) for the kernel tests");
    }
    Assumptions.assumeTrue(ok, "Debian Jupyter not installed: kernel protocol test skipped");
  }

  /**
   * Installs kernelspec {@code name} under {@code dataDir} that starts the kernel with this JVM's
   * class path (class folders included).
   */
  public static void installTestKernel(
      Path dataDir, String name, List<String> jvmOptions, Map<String, String> env)
      throws IOException {
    List<Path> classpath = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.isBlank()) {
        classpath.add(Path.of(e));
      }
    }
    KernelInstaller.install(
        KernelInstaller.Options.defaults(dataDir)
            .withName(name)
            .withJvmOptions(jvmOptions)
            .withEnv(env)
            .withMode(KernelInstaller.Mode.IN_PLACE),
        classpath);
  }

  /** The environment that points Jupyter at {@code dataDir} only. */
  public static Map<String, String> jupyterEnv(Path dataDir) {
    return Map.of(
        "JUPYTER_DATA_DIR", dataDir.toString(),
        "JUPYTER_RUNTIME_DIR", dataDir.resolve("runtime").toString(),
        "JUPYTER_CONFIG_DIR", dataDir.resolve("config").toString(),
        "PYDEVD_DISABLE_FILE_VALIDATION", "1");
  }

  /** A finished process: exit status and combined output. */
  public record Run(int exitCode, String output) {}

  /** Runs a command with extra environment; kills it after {@code timeoutSeconds}. */
  public static Run run(List<String> command, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("jupyter-run", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(home().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        return new Run(
            -1,
            "timed out after "
                + timeoutSeconds
                + " s\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
