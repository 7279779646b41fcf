package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TorchReference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchTrainCommandTest {
  /** The Java side reads configs/train/bundled.json; the PyTorch side builds its preset. */
  @Test
  void bundledConfigMatchesTheReferencePreset() throws Exception {
    TorchReference.require();
    Path dir = Files.createTempDirectory("preset");
    try {
      TorchReference.script(
          "make", "--family", "llama", "--preset", "bundled", "--out", dir.toString());
      ModelConfig ref = HfModelConfig.read(dir).config();
      ModelConfig ours = io.github.longrope.bench.TrainBench.bundledConfig();
      assertEquals(ref.hiddenSize(), ours.hiddenSize());
      assertEquals(ref.intermediateSize(), ours.intermediateSize());
      assertEquals(ref.numLayers(), ours.numLayers());
      assertEquals(ref.numHeads(), ours.numHeads());
      assertEquals(ref.numKvHeads(), ours.numKvHeads());
      assertEquals(ref.headDim(), ours.headDim());
      assertEquals(ref.vocabSize(), ours.vocabSize());
    } finally {
      AtomicFiles.deleteTree(dir);
    }
  }

  @Test
  void printsSideBySideRowsWithTheDocumentedKeys() {
    TorchReference.require();
    JsonNode rows =
        CliRun.line("bench train --contexts 16 --tokens-per-step 32 --steps 1 --threads 1 --json")
            .json()
            .get("rows");
    assertEquals(2, rows.size());
    for (int i = 0; i < 2; i++) {
      JsonNode r = rows.get(i);
      assertEquals(16, r.get("context").asInt());
      assertEquals(i == 1, r.get("checkpointing").asBoolean());
      assertEquals(2, r.get("batch").asInt());
      double java = r.get("java_tok_s").asDouble();
      double torch = r.get("torch_tok_s").asDouble();
      assertTrue(java > 0 && torch > 0, r.toString());
      assertEquals(java / torch, r.get("ratio").asDouble(), 1e-9);
      assertTrue(r.get("peak_rss_mb").asDouble() > 50, r.toString());
    }
  }

  @Test
  void badArgumentsAreRefused() {
    CliRun r = CliRun.of("bench", "train", "--contexts", "3", "--tokens-per-step", "32");
    assertEquals(Main.BAD_INPUT, r.exit());
    assertTrue(r.err().contains("--contexts"), r.err());
  }
}
