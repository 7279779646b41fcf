package io.github.longrope.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The exported model directories committed under {@code results/} carry the RoPE keys an export
 * writes today ({@link HfRopeConfig#forConfig}: the original length at the top level too), so
 * transformers v4.57 and v5 read them alike: no v4/v5 difference warning, and the same keys as a
 * fresh export of the config they describe.
 */
class CommittedExportsTest {
  static final Path RESULTS = Path.of("../results");

  /** Model directories under results/: a config.json with architectures and a rope_scaling. */
  static List<Path> exports() throws IOException {
    try (Stream<Path> files = Files.walk(RESULTS)) {
      return files
          .filter(p -> p.getFileName().toString().equals("config.json"))
          .filter(
              p -> {
                JsonNode c = Json.readObject(p);
                return c.has("architectures") && c.path("rope_scaling").isObject();
              })
          .map(Path::getParent)
          .sorted()
          .toList();
    }
  }

  @Test
  void everyCommittedExportIsReadAlikeByV4AndV5() throws IOException {
    List<Path> exports = exports();
    assertTrue(exports.size() >= 4, "committed exports found: " + exports);
    for (Path dir : exports) {
      Path file = dir.resolve("config.json");
      HfRopeConfig.Loaded rope = HfRopeConfig.read(file);
      assertFalse(
          rope.warnings().stream().anyMatch(w -> w.contains("v4")),
          file + " is read differently by transformers v4.57: " + rope.warnings());
      ModelConfig config = HfModelConfig.read(dir).config();
      HfRopeConfig.ConfigKeys want =
          HfRopeConfig.forConfig(
              config.modelType(),
              config.ropeScaling(),
              config.maxPositionEmbeddings(),
              config.originalLength());
      ObjectNode got = Json.readObject(file);
      assertEquals(
          want.maxPositionEmbeddings(), got.get("max_position_embeddings").asInt(), file + "");
      assertEquals(
          want.originalLength(), got.path(HfRopeConfig.ORIGINAL).asInt(0), file + ": top-level L");
      assertEquals(want.ropeScaling(), got.get("rope_scaling"), file + ": rope_scaling");
    }
  }
}
