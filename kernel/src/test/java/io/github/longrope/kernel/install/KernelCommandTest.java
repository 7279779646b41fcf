package io.github.longrope.kernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KernelCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return KernelCommand.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of("JUPYTER_DATA_DIR", "/tmp/jupyter-data"));
  }

  @Test
  void optionsParse() {
    KernelInstaller.Options o =
        KernelCommand.parse(
            new String[] {
              "install", "--name", "lr2", "--display-name=Other", "--prefix", "/venv",
              "--jvm-opt=-Xmx8g", "--jvm-opt", "-XX:+UseZGC", "--env", "A=b=c", "--link",
              "--java", "/jdk/bin/java"
            },
            Map.of());
    assertEquals("lr2", o.name());
    assertEquals("Other", o.displayName());
    assertEquals(Path.of("/venv/share/jupyter"), o.dataDir());
    assertEquals(List.of("-Xmx8g", "-XX:+UseZGC"), o.jvmOptions());
    assertEquals(Map.of("A", "b=c"), o.env());
    assertEquals(KernelInstaller.Mode.SYMLINK, o.mode());
    assertEquals(Path.of("/jdk/bin/java"), o.java());
    assertEquals(
        Path.of("/tmp/jupyter-data"),
        KernelCommand.parse(
                new String[] {"install"}, Map.of("JUPYTER_DATA_DIR", "/tmp/jupyter-data"))
            .dataDir());
    assertNull(KernelCommand.parse(new String[] {"install", "--help"}, Map.of()));
  }

  @Test
  void badUsageExitsWithTwo() {
    assertEquals(2, run());
    assertEquals(2, run("frobnicate"));
    assertEquals(2, run("install", "--bogus"));
    assertEquals(2, run("install", "--name"));
    assertEquals(2, run("install", "--data-dir", "/a", "--prefix", "/b"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option '--bogus'"));
    assertThrows(
        IllegalArgumentException.class,
        () -> KernelCommand.parse(new String[] {"install", "--env", "novalue"}, Map.of()));
  }

  @Test
  void specPrintsTheKernelJson() {
    assertEquals(0, run("spec", "--data-dir", "/d"));
    String json = out.toString(StandardCharsets.UTF_8);
    assertTrue(json.contains("\"display_name\": \"LongRoPE (Java)\""), json);
    assertTrue(json.contains("/d/kernels/longrope/lib/*"), json);
    assertTrue(json.contains("\"{connection_file}\""), json);
  }

  @Test
  void helpGoesToStdout() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: longrope kernel"));
  }
}
