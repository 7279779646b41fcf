package io.github.longrope.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkbenchTest {
  @TempDir Path dir;

  @Test
  void homeIsThePropertyElseTheFolderWithTheLauncherAbove() throws Exception {
    assertEquals(dir.resolve("x").toAbsolutePath(), Workbench.home(dir + "/y/../x", Path.of("")));
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo.resolve("lib"));
    Files.createDirectories(repo.resolve("notebooks/sub"));
    Files.writeString(repo.resolve("longrope"), "#!/bin/sh\n");
    Files.writeString(repo.resolve("lib/pom.xml"), "<project/>\n");
    assertEquals(repo, Workbench.home(null, repo.resolve("notebooks/sub")));
    assertEquals(repo, Workbench.home("", repo));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Workbench.home(null, dir.resolve("none")));
    assertTrue(e.getMessage().contains("longrope.home"), e.getMessage());
  }

  @Test
  void theTestsRunInsideTheRepository() {
    assertTrue(
        Files.isDirectory(Workbench.home().resolve("models/bundled")), "" + Workbench.home());
  }

  @Test
  void threadsValidates() {
    assertThrows(IllegalArgumentException.class, () -> Workbench.threads(-1));
    Workbench.threads(0); // leaves the default
  }

  @Test
  void buildProgressPrintsEveryQuarterOnce() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    var l = Workbench.printing(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    l.message("building");
    for (int i = 0; i <= 100; i++) {
      l.progress("tokenize", i, 100);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(
        "building\ntokenize: 0%\ntokenize: 25%\ntokenize: 50%\ntokenize: 75%\ntokenize: 100%\n",
        out.replace("\r", ""));
  }
}
