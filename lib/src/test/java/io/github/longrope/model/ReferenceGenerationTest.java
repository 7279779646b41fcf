package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Greedy generation per family against the PyTorch reference's decoding by full forwards, on the
 * reference's own random tiny checkpoints under their own config.json: llama, mistral with a
 * sliding window of 8 (generation runs past it), qwen2 (q/k/v biases) and phi3 (fused weights,
 * partial rotary, its longrope short/long pair with L = 32: the prompt ends below L and generation
 * crosses it, under both KV-cache policies). Same ids, token for token.
 */
class ReferenceGenerationTest {
  @TempDir static Path work;

  @BeforeAll
  static void needsTorch() {
    TorchReference.require();
  }

  /** The reference's tiny checkpoint of a family; {@code mistral-window}: a window of 8. */
  static Path model(String family) {
    return TorchReference.checkpoint(work, family, 11);
  }

  @ParameterizedTest(name = "{0} {2}, prompt {1}")
  @CsvSource({
    "llama, 40, RECOMPUTE",
    "mistral-window, 40, RECOMPUTE",
    "qwen2, 40, RECOMPUTE",
    "phi3, 28, RECOMPUTE",
    "phi3, 28, FIXED",
  })
  void sameGreedyIds(String family, int promptLength, KvCache.Policy policy) {
    Path dir = model(family);
    ModelConfig config = HfModelConfig.read(dir).config();
    int maxNew = 10;
    int[] prompt = new int[promptLength];
    SplittableRandom r = new SplittableRandom(promptLength + family.length());
    for (int i = 0; i < prompt.length; i++) {
      prompt[i] = 3 + r.nextInt(config.vocabSize() - 3);
    }
    int[] ours;
    try (Decoder m = HfModel.load(dir, config)) {
      ours = m.generate(prompt, maxNew, config.ropeScaling(), policy);
    }
    Path out = work.resolve(family + "-" + policy + ".json");
    String ids = Arrays.stream(prompt).mapToObj(Integer::toString).collect(Collectors.joining(","));
    List<String> args =
        new ArrayList<>(
            List.of("generate", "--model", dir.toString(), "--ids", ids, "--out", out.toString()));
    args.addAll(List.of("--max-new-tokens", "" + maxNew));
    if (policy == KvCache.Policy.FIXED) {
      args.addAll(List.of("--table-length", "" + (promptLength + maxNew)));
    }
    TorchReference.script(args.toArray(String[]::new));
    JsonNode theirs = Json.readObject(out).get("generated");
    int[] want = new int[theirs.size()];
    for (int i = 0; i < want.length; i++) {
      want[i] = theirs.get(i).asInt();
    }
    assertArrayEquals(want, ours, family + " " + policy);
    assertTrue(ours.length > 0, "generated something");
  }
}
