package io.github.longrope.kernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelInstallerTest {
  @TempDir Path tmp;

  private List<Path> jars(String... names) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("build"));
    List<Path> out = new ArrayList<>();
    for (String n : names) {
      out.add(Files.writeString(dir.resolve(n), "jar " + n));
    }
    return out;
  }

  private static List<String> argv(Path kernelDir) throws Exception {
    JsonObject spec =
        new JsonParser()
            .parse(Files.readString(kernelDir.resolve("kernel.json")))
            .getAsJsonObject();
    List<String> argv = new ArrayList<>();
    spec.getAsJsonArray("argv").forEach(e -> argv.add(e.getAsString()));
    return argv;
  }

  @Test
  void installCopiesTheJarsAndWritesTheKernelSpec() throws Exception {
    Path data = tmp.resolve("data");
    KernelInstaller.Options o =
        KernelInstaller.Options.defaults(data)
            .withJava(Path.of("/opt/jdk/bin/java"))
            .withJvmOptions(List.of("-Xmx2g"))
            .withEnv(Map.of("LONGROPE_KERNEL_MAX_ROWS", "50"));
    Path dir = KernelInstaller.install(o, jars("longrope-kernel.jar", "longrope-lib.jar"));
    assertEquals(data.resolve("kernels/longrope"), dir);
    assertEquals("jar longrope-lib.jar", Files.readString(dir.resolve("lib/longrope-lib.jar")));
    assertFalse(Files.isSymbolicLink(dir.resolve("lib/longrope-lib.jar")));
    JsonObject spec =
        new JsonParser().parse(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject();
    assertEquals("LongRoPE (Java)", spec.get("display_name").getAsString());
    assertEquals("java", spec.get("language").getAsString());
    assertEquals("message", spec.get("interrupt_mode").getAsString());
    assertEquals("50", spec.getAsJsonObject("env").get("LONGROPE_KERNEL_MAX_ROWS").getAsString());
    List<String> argv = argv(dir);
    assertEquals("/opt/jdk/bin/java", argv.get(0));
    assertTrue(
        argv.contains("-Djava.awt.headless=true") && argv.contains("-Xmx2g"), argv.toString());
    assertEquals(1, argv.stream().filter(a -> a.startsWith("-Xmx")).count(), "only the user's");
    int cp = argv.indexOf("-cp");
    assertEquals(dir.resolve("lib").toAbsolutePath() + "/*", argv.get(cp + 1));
    assertEquals(
        List.of(KernelInstaller.MAIN_CLASS, "{connection_file}"),
        argv.subList(cp + 2, argv.size()));
  }

  @Test
  void theKernelSpecCarriesSparksJvmOptionsSoThatSparkCanJoinLater() throws Exception {
    // %spark runs Spark in the kernel's JVM, which needs these from its start
    String opens = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";
    assertTrue(
        KernelInstaller.sparkJvmOptions(System.getProperty("longrope.home")).contains(opens));
    String json =
        KernelInstaller.kernelJson(KernelInstaller.Options.defaults(tmp.resolve("d")), "lib/*");
    assertTrue(json.contains(opens), json);
    assertEquals(List.of(), KernelInstaller.sparkJvmOptions(tmp.toString()));
    assertEquals(List.of(), KernelInstaller.sparkJvmOptions(null));
  }

  @Test
  void theKernelSpecSetsAHeapLimitUnlessTheUserDoes() throws Exception {
    String json =
        KernelInstaller.kernelJson(KernelInstaller.Options.defaults(tmp.resolve("d")), "lib/*");
    assertTrue(json.matches("(?s).*\"-Xmx\\d+g\".*"), json);
    assertEquals("-Xmx8g", KernelInstaller.defaultHeapOption(16L << 30));
    assertEquals("-Xmx1g", KernelInstaller.defaultHeapOption(1L << 30));
    String own =
        KernelInstaller.kernelJson(
            KernelInstaller.Options.defaults(tmp.resolve("d"))
                .withJvmOptions(List.of("-XX:MaxRAMPercentage=60")),
            "lib/*");
    assertFalse(own.contains("-Xmx"), own);
    // the weights' direct buffers may take the machine's memory unless the user says otherwise
    assertTrue(json.matches("(?s).*\"-XX:MaxDirectMemorySize=\\d+m\".*"), json);
    assertEquals("-XX:MaxDirectMemorySize=16384m", KernelInstaller.defaultDirectOption(16L << 30));
    String direct =
        KernelInstaller.kernelJson(
            KernelInstaller.Options.defaults(tmp.resolve("d"))
                .withJvmOptions(List.of("-XX:MaxDirectMemorySize=2g")),
            "lib/*");
    assertEquals(1, direct.split("MaxDirectMemorySize", -1).length - 1, direct);
  }

  @Test
  void reinstallReplacesOldJarsAndRemoveCleansUp() throws Exception {
    Path data = tmp.resolve("data");
    KernelInstaller.Options o = KernelInstaller.Options.defaults(data);
    Path dir = KernelInstaller.install(o, jars("old-1.0.jar"));
    KernelInstaller.install(o, jars("new-2.0.jar"));
    assertFalse(Files.exists(dir.resolve("lib/old-1.0.jar")));
    assertTrue(Files.exists(dir.resolve("lib/new-2.0.jar")));
    assertTrue(KernelInstaller.remove(data, "longrope"));
    assertFalse(Files.exists(dir));
    assertFalse(KernelInstaller.remove(data, "longrope"));
  }

  @Test
  void symlinkAndInPlaceModes() throws Exception {
    List<Path> jars = jars("a.jar");
    Path linked =
        KernelInstaller.install(
            KernelInstaller.Options.defaults(tmp.resolve("d1"))
                .withMode(KernelInstaller.Mode.SYMLINK),
            jars);
    assertTrue(Files.isSymbolicLink(linked.resolve("lib/a.jar")));
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    List<Path> entries = List.of(classes, jars.get(0));
    Path inPlace =
        KernelInstaller.install(
            KernelInstaller.Options.defaults(tmp.resolve("d2"))
                .withMode(KernelInstaller.Mode.IN_PLACE),
            entries);
    List<String> argv = argv(inPlace);
    assertEquals(classes + ":" + jars.get(0), argv.get(argv.indexOf("-cp") + 1));
    assertFalse(Files.exists(inPlace.resolve("lib")));
  }

  @Test
  void copyModeRejectsClassFoldersAndBadNames() throws Exception {
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    KernelInstaller.Options o = KernelInstaller.Options.defaults(tmp.resolve("d"));
    assertThrows(
        IllegalArgumentException.class, () -> KernelInstaller.install(o, List.of(classes)));
    assertThrows(IllegalArgumentException.class, () -> KernelInstaller.install(o, List.of()));
    assertThrows(IllegalArgumentException.class, () -> o.withName("Long RoPE"));
  }

  @Test
  void userDataDirFollowsJupyterCore() {
    assertEquals(Path.of("/j"), KernelInstaller.userDataDir(Map.of("JUPYTER_DATA_DIR", "/j")));
    assertEquals(Path.of("/x/jupyter"), KernelInstaller.userDataDir(Map.of("XDG_DATA_HOME", "/x")));
    assertEquals(
        Path.of(System.getProperty("user.home"), ".local/share/jupyter"),
        KernelInstaller.userDataDir(Map.of()));
  }
}
