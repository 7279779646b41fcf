package io.github.longrope.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code kill -9} of {@code longrope export} in a child JVM while it writes the bundled
 * model's 50 MB of f32 weights: the target is absent (first export) or still the previous complete
 * export (byte for byte), never a directory that loads half-written; the next export completes and
 * removes the dead process's temporary.
 */
class ExportKillTest {
  static final Path BUNDLED = Path.of("../models/bundled");
  @TempDir Path dir;

  @Test
  void aKilledExportLeavesTheTargetAbsentOrAsItWasAndTheNextOneCleansUp() throws Exception {
    Path out = dir.resolve("out");
    kill(out);
    assertFalse(Files.exists(out), "a first export killed mid-write leaves no target");
    assertEquals(0, finish(export(out)), "the next export runs");
    assertEquals(List.of("out"), names(), "the dead export's temporary is gone");
    byte[] config = Files.readAllBytes(out.resolve("config.json"));
    byte[] weights = Files.readAllBytes(out.resolve("model.safetensors"));

    kill(out);
    assertArrayEquals(config, Files.readAllBytes(out.resolve("config.json")));
    assertArrayEquals(weights, Files.readAllBytes(out.resolve("model.safetensors")));
    assertEquals(0, finish(export(out)));
    assertEquals(List.of("out"), names());
    assertEquals(HfModelConfig.read(BUNDLED).config(), HfModelConfig.read(out).config());
  }

  /** Starts an export to {@code out} and kills it once its temporary folder holds a file. */
  private void kill(Path out) throws Exception {
    ChildJvm.killWhen(export(out), this::writing, 120, log(), "the weights write");
    assertTrue(names().stream().anyMatch(n -> n.startsWith(".out.tmp-")), "killed mid-write");
  }

  private boolean writing() throws Exception {
    for (String n : names()) {
      if (n.startsWith(".out.tmp-")) {
        try (Stream<Path> s = Files.list(dir.resolve(n))) {
          if (s.findAny().isPresent()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private List<String> names() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("child.log"))
          .sorted()
          .toList();
    }
  }

  private Process export(Path out) {
    return ChildJvm.cli(
        log(), "export", "--model", BUNDLED.toString(), "--out", out.toString(), "--dtype", "f32");
  }

  private int finish(Process p) throws Exception {
    return ChildJvm.finish(p, 120, log());
  }

  private Path log() {
    return dir.resolve("child.log");
  }
}
