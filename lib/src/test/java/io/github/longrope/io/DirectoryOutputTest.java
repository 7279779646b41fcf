package io.github.longrope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.rope.NoScaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports are complete or absent: a failure half-way leaves the previous directory untouched and no
 * temporary behind; an {@code --out} that is the source model, through a link or not, or lies
 * inside it, is refused before anything is written; leftovers of dead processes are removed.
 */
class DirectoryOutputTest {
  @TempDir Path dir;

  private Path model() {
    Path m = dir.resolve("model");
    ModelConfig c = TinyModelsAccess.llama(new NoScaling(), 16);
    HfModel.write(m, c, TinyModelsAccess.weights(c, 1), SafetensorsFile.Dtype.F32);
    return m;
  }

  private static long entries(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.count();
    }
  }

  @Test
  void aFailedWriteKeepsThePreviousDirectoryAndLeavesNoTemporary() throws Exception {
    Path out = dir.resolve("out");
    DirectoryOutput.write(out, null, d -> Files.writeString(d.resolve("a.txt"), "first"));
    IOException e =
        assertThrows(
                java.io.UncheckedIOException.class,
                () ->
                    DirectoryOutput.write(
                        out,
                        null,
                        d -> {
                          Files.writeString(d.resolve("a.txt"), "second");
                          throw new IOException("disk full");
                        }))
            .getCause();
    assertEquals("disk full", e.getMessage());
    assertEquals("first", Files.readString(out.resolve("a.txt")));
    assertEquals(1, entries(dir));
    DirectoryOutput.write(out, null, d -> Files.writeString(d.resolve("b.txt"), "third"));
    assertFalse(Files.exists(out.resolve("a.txt")), "the new directory replaces the old one");
    assertEquals("third", Files.readString(out.resolve("b.txt")));
  }

  @Test
  void anOutThatIsTheSourceThroughALinkOrInsideItIsRefused() throws Exception {
    Path source = model();
    byte[] weights = Files.readAllBytes(source.resolve("model.safetensors"));
    ModelConfig c = HfModelConfig.read(source).config();
    Path link = Files.createSymbolicLink(dir.resolve("link"), source);
    for (Path out : new Path[] {source, link, source.resolve("sub"), dir.resolve("x/../model")}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> HfModel.export(source, out, c, SafetensorsFile.Dtype.F16),
              out.toString());
      assertTrue(e.getMessage().contains("source model"), e.getMessage());
    }
    assertTrue(
        java.util.Arrays.equals(weights, Files.readAllBytes(source.resolve("model.safetensors"))));
  }

  @Test
  void leftoversOfDeadProcessesAreRemoved() throws Exception {
    Path stale = Files.createDirectories(dir.resolve(".out.tmp-999999999"));
    Files.writeString(stale.resolve("model.safetensors"), "half");
    Path source = model();
    HfModel.export(
        source, dir.resolve("out"), HfModelConfig.read(source).config(), SafetensorsFile.Dtype.F32);
    assertFalse(Files.exists(stale));
    assertTrue(Files.isRegularFile(dir.resolve("out/model.safetensors")));
    assertTrue(
        Files.getPosixFilePermissions(dir.resolve("out/config.json"))
            .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ));
  }
}
