package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Java logits vs the independent PyTorch reference, per family and RoPE variant, on random tiny
 * checkpoints written by the reference (so this also checks our safetensors reader on files we did
 * not write). Tolerance: max |Δ| ≤ 1e-4 · max |logit|.
 */
class ReferenceLogitsTest {
  @TempDir static Path work;

  @BeforeAll
  static void needsTorch() {
    TorchReference.require();
  }

  /** A reference checkpoint per family; {@code mistral-window} is Mistral with a window of 8. */
  static Path model(String family) {
    return TorchReference.checkpoint(work, family, 7);
  }

  @ParameterizedTest(name = "{0} {1} T={3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "llama   | none        | null | 48",
        "llama   | linear      | {\"rope_type\":\"linear\",\"factor\":2.0} | 48",
        "llama   | yarn        | {\"rope_type\":\"yarn\",\"factor\":4.0,\"original_max_position_embeddings\":16} | 48",
        "llama   | longrope n̂+su | {\"rope_type\":\"longrope\",\"original_max_position_embeddings\":16,\"factor\":4.0,\"short_factor\":[1.0,1.5,3.0,4.0,4.0,4.0,4.0,4.0],\"long_factor\":[1.0,1.5,3.0,4.0,4.0,4.0,4.0,4.0],\"start_tokens\":4} | 48",
        "llama   | longrope yarn-mscale | {\"rope_type\":\"longrope\",\"original_max_position_embeddings\":16,\"factor\":8.0,\"short_factor\":[1.0,1.1,1.3,2.0,2.5,3.0,5.0,8.0],\"long_factor\":[1.0,1.1,1.3,2.0,2.5,3.0,5.0,8.0],\"magnitude_policy\":\"yarn\"} | 40",
        "llama   | dynamic     | {\"rope_type\":\"dynamic\",\"factor\":2.0,\"original_max_position_embeddings\":64} | 96",
        "mistral | none        | null | 48",
        "mistral-window | sliding window 8 | null | 48",
        "mistral | llama3      | {\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,\"original_max_position_embeddings\":16} | 48",
        "qwen2   | none        | null | 48",
        "qwen2   | yarn        | {\"rope_type\":\"yarn\",\"factor\":2.0,\"original_max_position_embeddings\":32} | 48",
        "phi3    | own short   | config | 32",
        "phi3    | own long    | config | 48",
      })
  void javaMatchesPyTorch(String family, String label, String rope, int length) {
    Path dir = model(family);
    ModelConfig config = HfModelConfig.read(dir).config();
    String override = rope.equals("config") ? null : rope;
    RopeScaling scaling =
        override == null
            ? config.ropeScaling()
            : rope.equals("null")
                ? new io.github.longrope.rope.NoScaling()
                : HfRopeConfig.parseScaling(
                    Json.parseObject(rope, label), config.rope().pairs(), label);
    int[] ids = new int[length];
    SplittableRandom r = new SplittableRandom(length);
    for (int i = 0; i < length; i++) {
      ids[i] = r.nextInt(config.vocabSize());
    }
    float[] expected = TorchReference.logits(dir, ids, override, config.vocabSize(), work);
    try (Decoder m = HfModel.load(dir, config).withAttentionChunk(7)) {
      float[] got = m.logits(ids, scaling);
      float rel = DecoderTest.maxRelDiff(expected, got);
      assertTrue(rel <= 1e-4, family + " " + label + ": max relative difference " + rel);
    }
  }
}
