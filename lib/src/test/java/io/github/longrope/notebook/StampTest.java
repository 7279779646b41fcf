package io.github.longrope.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.Fingerprint;
import io.github.longrope.io.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class StampTest {
  @TempDir Path tmp;

  private Path model() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("model"));
    Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\"}");
    Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, 3, 4});
    return dir;
  }

  /** sha256 over name, size and content: Fingerprint's definition, computed here independently. */
  private static String sha(String name, byte[] content) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update((name + "\n" + content.length + "\n").getBytes(StandardCharsets.UTF_8));
    md.update(content);
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  @Test
  void recordsCodeModelDataSeedsAndEngine() throws Exception {
    Path model = model();
    Path text = Files.writeString(tmp.resolve("docs.txt"), "hello");
    Stamp s = Stamp.of(model, text).withSeed("search", 42);

    String head =
        new String(
                new ProcessBuilder("git", "rev-parse", "HEAD")
                    .directory(Workbench.home().toFile())
                    .start()
                    .getInputStream()
                    .readAllBytes(),
                StandardCharsets.UTF_8)
            .strip();
    assertEquals(head, s.gitCommit());
    assertTrue(s.libraryVersion().matches("\\d+\\.\\d+\\.\\d+.*"), s.libraryVersion());
    assertEquals(
        sha("config.json", "{\"model_type\": \"llama\"}".getBytes(StandardCharsets.UTF_8)),
        s.modelConfigSha256());
    assertEquals(sha("model.safetensors", new byte[] {1, 2, 3, 4}), s.modelWeightsSha256());
    assertEquals(Fingerprint.files(List.of(text)), s.data().get("docs.txt"));
    assertEquals(42L, s.seeds().get("search"));
    assertEquals("cpu()", s.device());

    Table t = s.table();
    assertEquals("reproducibility stamp", t.name());
    assertTrue(t.stringColumn("property").asList().contains("seed search"));

    Path file = s.writeTo(tmp);
    ObjectNode json = Json.readObject(file);
    assertEquals(head, json.get("gitCommit").asText());
    assertEquals(s.modelWeightsSha256(), json.get("modelWeightsSha256").asText());
  }

  @Test
  void aFolderWithoutConfigIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Stamp.of(tmp));
    assertTrue(e.getMessage().contains("config.json"), e.getMessage());
  }
}
