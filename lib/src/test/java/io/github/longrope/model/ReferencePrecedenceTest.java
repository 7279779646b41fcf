package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.rope.RopeScaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where a config's RoPE keys are read, end to end: the same {@code config.json} loaded by our
 * reader and by the PyTorch reference (which follows transformers v5's precedence on its own) gives
 * the same logits, for the configs where the readings could part (original length at the top level
 * and inside the RoPE object, dynamic NTK with an original length, v5's {@code rope_parameters},
 * Phi-3's class default). Each row also states the L our reader must resolve, and a second reading
 * (the RoPE object alone with {@code other} merged in: what v4.57 or an inner-first rule would use)
 * must give logits the reference does not match, so a row cannot pass by being insensitive to the
 * rule it pins.
 */
class ReferencePrecedenceTest {
  @TempDir static Path work;

  @BeforeAll
  static void needsTorch() {
    TorchReference.require();
  }

  private static final String SHORT = "[1.0,1.0,1.1,1.2,1.3,1.5,1.8,2.0]";
  private static final String LONG = "[1.0,1.5,2.0,3.0,4.0,6.0,8.0,8.0]";

  /**
   * @param patch top-level keys replacing the reference model's ({@code "-key": 0} removes a key)
   * @param other merged into the resolved RoPE object and read alone: the other reading
   */
  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // tiny llama: head_dim 16 (8 pairs), max_position_embeddings 64
        "llama | dynamic: top-level original ignored (L = max) | {\"original_max_position_embeddings\":16,\"rope_scaling\":{\"rope_type\":\"dynamic\",\"factor\":4.0}} | 64 | 96 | {\"original_max_position_embeddings\":16}",
        "llama | dynamic: inner original ignored (L = max) | {\"rope_scaling\":{\"rope_type\":\"dynamic\",\"factor\":4.0,\"original_max_position_embeddings\":16}} | 64 | 96 | {}",
        "llama | longrope: top 16 before inner 32 (long regime at 24) | {\"original_max_position_embeddings\":16,\"rope_scaling\":{\"rope_type\":\"longrope\",\"original_max_position_embeddings\":32,\"short_factor\":"
            + SHORT
            + ",\"long_factor\":"
            + LONG
            + "}} | 16 | 24 | {\"factor\":2.0}",
        "llama | yarn: top 16 before inner 32 | {\"original_max_position_embeddings\":16,\"rope_scaling\":{\"rope_type\":\"yarn\",\"factor\":4.0,\"original_max_position_embeddings\":32}} | 16 | 48 | {}",
        "llama | llama3: top 16 before inner 32 | {\"original_max_position_embeddings\":16,\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,\"original_max_position_embeddings\":32}} | 16 | 48 | {}",
        "llama | llama3: original only at the top level | {\"original_max_position_embeddings\":16,\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0}} | 16 | 48 | {\"original_max_position_embeddings\":64}",
        "llama | longrope: old export layout (L inside only) | {\"rope_scaling\":{\"rope_type\":\"longrope\",\"factor\":4.0,\"original_max_position_embeddings\":16,\"short_factor\":"
            + SHORT
            + ",\"long_factor\":"
            + LONG
            + "}} | 16 | 24 | {\"original_max_position_embeddings\":64}",
        "llama | rope_parameters: rope_theta inside first | {\"rope_scaling\":null,\"rope_parameters\":{\"rope_type\":\"linear\",\"factor\":2.0,\"rope_theta\":500.0}} | 64 | 48 | ",
        // tiny phi3: 4 rotary pairs, max_position_embeddings 128, top-level original 32 removed
        "phi3 | phi3: class default L = 4096 without a top-level value | {\"-original_max_position_embeddings\":0} | 4096 | 200 | {\"original_max_position_embeddings\":128,\"factor\":1.0}",
      })
  void ourReadingMatchesTheReference(
      String family, String label, String patch, int expectedL, int length, String other)
      throws IOException {
    Path dir = patched(family, label, Json.parseObject(patch, label));
    HfRopeConfig.Loaded rope = HfRopeConfig.read(dir.resolve("config.json"));
    assertEquals(expectedL, rope.originalLength(), label + ": resolved L");
    ModelConfig config = HfModelConfig.read(dir).config();
    int[] ids = ids(length, config.vocabSize());
    float[] expected = TorchReference.logits(dir, ids, null, config.vocabSize(), work);
    try (Decoder m = HfModel.load(dir, config)) {
      float[] got = m.logits(ids, config.ropeScaling());
      float rel = DecoderTest.maxRelDiff(expected, got);
      assertTrue(rel <= 1e-4, label + ": max relative difference " + rel);
      if (other != null) {
        float[] alternative = m.logits(ids, otherReading(dir, other, config, label));
        float apart = DecoderTest.maxRelDiff(expected, alternative);
        assertTrue(apart > 1e-3, label + ": the other reading is too close to tell: " + apart);
      }
    }
  }

  /** A copy of the reference's tiny model of {@code family} with top-level keys patched. */
  private static Path patched(String family, String label, ObjectNode patch) throws IOException {
    Path base = work.resolve("base-" + family);
    if (!Files.exists(base.resolve("config.json"))) {
      TorchReference.script("make", "--family", family, "--out", base.toString(), "--seed", "3");
    }
    Path dir = work.resolve("case-" + Integer.toHexString(label.hashCode()));
    Files.createDirectories(dir);
    Files.copy(base.resolve("model.safetensors"), dir.resolve("model.safetensors"));
    ObjectNode config = Json.readObject(base.resolve("config.json"));
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getKey().startsWith("-")) {
        config.remove(e.getKey().substring(1));
      } else {
        config.set(e.getKey(), e.getValue());
      }
    }
    Files.writeString(dir.resolve("config.json"), Json.write(config));
    return dir;
  }

  /** The config's RoPE object with {@code other} merged in, read alone (no top level). */
  private static RopeScaling otherReading(Path dir, String other, ModelConfig c, String label) {
    ObjectNode config = Json.readObject(dir.resolve("config.json"));
    JsonNode rs = config.get("rope_scaling");
    ObjectNode rope = (rs != null && rs.isObject() ? (ObjectNode) rs : config.putObject("x"));
    rope.setAll(Json.parseObject(other, label));
    return HfRopeConfig.parseScaling(rope, c.rope().pairs(), label);
  }

  private static int[] ids(int length, int vocab) {
    SplittableRandom r = new SplittableRandom(length);
    int[] ids = new int[length];
    for (int i = 0; i < length; i++) {
      ids[i] = r.nextInt(vocab);
    }
    return ids;
  }
}
