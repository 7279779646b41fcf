package io.github.longrope.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.io.SafetensorsFile.Dtype;
import io.github.longrope.io.SafetensorsWriter.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  static final String SHARD1 = "model-00001-of-00002.safetensors";
  static final String SHARD2 = "model-00002-of-00002.safetensors";

  static Map<String, Tensor> tensors(String... namesAndValues) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      float v = Float.parseFloat(namesAndValues[i + 1]);
      out.put(namesAndValues[i], Tensor.of(new float[] {v, v + 1}, 1, 2));
    }
    return out;
  }

  /** Two shards (the second in F16, as mixed downloads happen) and an HF index. */
  void writeSharded(String indexJson) throws IOException {
    SafetensorsWriter.write(
        dir.resolve(SHARD1),
        tensors("model.embed_tokens.weight", "1", "model.layers.0.mlp.up_proj.weight", "3"),
        Map.of("format", "pt"),
        Dtype.F32);
    SafetensorsWriter.write(
        dir.resolve(SHARD2), tensors("lm_head.weight", "5"), Map.of("format", "pt"), Dtype.F16);
    Files.writeString(dir.resolve(Checkpoint.INDEX_FILE), indexJson);
  }

  static String index(String... tensorAndShard) {
    StringBuilder sb = new StringBuilder("{\"metadata\": {\"total_size\": 20},\n\"weight_map\": {");
    for (int i = 0; i < tensorAndShard.length; i += 2) {
      sb.append(i == 0 ? "" : ",\n")
          .append('"')
          .append(tensorAndShard[i])
          .append("\": \"")
          .append(tensorAndShard[i + 1])
          .append('"');
    }
    return sb.append("}}\n").toString();
  }

  static final String GOOD_INDEX =
      index(
          "lm_head.weight", SHARD2,
          "model.embed_tokens.weight", SHARD1,
          "model.layers.0.mlp.up_proj.weight", SHARD1);

  @Test
  void readsTensorsFromEveryShard() throws IOException {
    writeSharded(GOOD_INDEX);
    try (Checkpoint c = Checkpoint.open(dir)) {
      assertEquals(
          List.of(
              "lm_head.weight", "model.embed_tokens.weight", "model.layers.0.mlp.up_proj.weight"),
          c.names());
      assertArrayEquals(new float[] {1, 2}, c.floats("model.embed_tokens.weight"));
      assertArrayEquals(new float[] {3, 4}, c.floats("model.layers.0.mlp.up_proj.weight"));
      assertArrayEquals(new float[] {5, 6}, c.floats("lm_head.weight"));
      assertEquals(SHARD1, c.fileOf("model.embed_tokens.weight"));
      assertEquals(SHARD2, c.fileOf("lm_head.weight"));
      assertEquals(Dtype.F16, c.info("lm_head.weight").dtype());
      assertArrayEquals(new long[] {1, 2}, c.info("lm_head.weight").shape());
      assertTrue(c.contains("lm_head.weight"));
      assertFalse(c.contains("model.norm.weight"));
      FormatException e = assertThrows(FormatException.class, () -> c.floats("lm_head.weigth"));
      assertTrue(e.getMessage().startsWith(dir.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("tensor 'lm_head.weigth'"), e.getMessage());
      assertTrue(e.getMessage().contains("similar: lm_head.weight"), e.getMessage());
    }
  }

  @Test
  void aSingleFileCheckpoint() {
    SafetensorsWriter.write(
        dir.resolve(Checkpoint.SINGLE_FILE), tensors("b", "7", "a", "9"), null, Dtype.F32);
    try (Checkpoint c = Checkpoint.open(dir)) {
      assertEquals(List.of("b", "a"), c.names());
      assertArrayEquals(new float[] {9, 10}, c.floats("a"));
      assertEquals(Checkpoint.SINGLE_FILE, c.fileOf("b"));
      assertThrows(FormatException.class, () -> c.info("c"));
    }
  }

  @Test
  void aMissingShardNamesTheIndexAndTheShard() throws IOException {
    writeSharded(GOOD_INDEX);
    Files.delete(dir.resolve(SHARD2));
    FormatException e = assertThrows(FormatException.class, () -> Checkpoint.open(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve(Checkpoint.INDEX_FILE).toString()));
    assertTrue(e.getMessage().contains("tensor 'lm_head.weight'"), e.getMessage());
    assertTrue(e.getMessage().contains("shard " + SHARD2 + " does not exist"), e.getMessage());
  }

  @Test
  void aTensorMissingFromItsShardNamesBoth() throws IOException {
    writeSharded(
        index(
            "model.embed_tokens.weight", SHARD1,
            "model.norm.weight", SHARD2,
            "lm_head.weight", SHARD2));
    FormatException e = assertThrows(FormatException.class, () -> Checkpoint.open(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve(Checkpoint.INDEX_FILE).toString()));
    assertTrue(e.getMessage().contains("tensor 'model.norm.weight'"), e.getMessage());
    assertTrue(e.getMessage().contains("listed in shard " + SHARD2), e.getMessage());
  }

  @Test
  void aBadIndexOrNoWeightsAtAll() throws IOException {
    FormatException e = assertThrows(FormatException.class, () -> Checkpoint.open(dir));
    assertTrue(
        e.getMessage().contains("no model.safetensors or model.safetensors.index.json"),
        e.getMessage());
    Files.writeString(dir.resolve("pytorch_model.bin"), "pickle");
    e = assertThrows(FormatException.class, () -> Checkpoint.open(dir));
    assertTrue(e.getMessage().contains("pytorch_model.bin is not supported"), e.getMessage());
    writeSharded("{\"weight_map\": [1]}");
    e = assertThrows(FormatException.class, () -> Checkpoint.open(dir));
    assertTrue(e.getMessage().contains("key 'weight_map'"), e.getMessage());
    writeSharded(index("a", SHARD1).replace("\"" + SHARD1 + "\"", "3"));
    e = assertThrows(FormatException.class, () -> Checkpoint.open(dir));
    assertTrue(e.getMessage().contains("tensor 'a'"), e.getMessage());
    // a corrupt shard is reported by the shard's own path
    writeSharded(GOOD_INDEX);
    Files.write(dir.resolve(SHARD1), new byte[] {1});
    e = assertThrows(FormatException.class, () -> Checkpoint.open(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve(SHARD1).toString()), e.getMessage());
  }
}
