package io.github.longrope.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.model.WeightSource;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and reading whole HF model directories. */
class HfModelTest {
  @TempDir Path dir;

  @Test
  void writtenModelsReadBackToTheSameConfigAndLogits() {
    RopeScaling pair =
        LongRopeScaling.of(FactorTable.of(1.5, 2.5, 4, 6), 16, 8)
            .withShortFactors(FactorTable.of(1, 1.1, 1.3, 1.6));
    ModelConfig c = TinyModelsAccess.llama(pair, 16);
    WeightSource w = TinyModelsAccess.weights(c, 3);
    HfModel.write(dir, c, w, SafetensorsFile.Dtype.F32);
    ModelConfig back = HfModelConfig.read(dir).config();
    assertEquals(HfModelConfig.toJson(c), HfModelConfig.toJson(back));
    assertEquals(c.ropeScaling(), back.ropeScaling());
    int[] ids = TinyModelsAccess.ids(c, 20, 1);
    try (Decoder a = Decoder.load(c, w);
        Decoder b = HfModel.load(dir)) {
      assertArrayEquals(a.logits(ids, pair), b.logits(ids, back.ropeScaling()), 0f);
    }
  }

  @Test
  void bosFallsBackToTheTokenizerConfig() throws Exception {
    ModelConfig c =
        TinyModelsAccess.llama(new io.github.longrope.rope.NoScaling(), 64).withBosTokenId(-1);
    HfModel.write(dir, c, TinyModelsAccess.weights(c, 1), SafetensorsFile.Dtype.F32);
    assertEquals(-1, HfModelConfig.read(dir).config().bosTokenId());
    Files.copy(
        Path.of(HfModelTest.class.getResource("/tokenizer/tokenizer.json").toURI()),
        dir.resolve("tokenizer.json"));
    Files.writeString(
        dir.resolve("tokenizer_config.json"), "{\"bos_token\": {\"content\": \"<s>\"}}");
    assertEquals(1, HfModelConfig.read(dir).config().bosTokenId());
    // the tokenizer decides (official protocol): an explicit null means no BOS, even if
    // config.json names one (Qwen2)
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": null}");
    HfModel.write(
        dir, c.withBosTokenId(1), TinyModelsAccess.weights(c, 1), SafetensorsFile.Dtype.F32);
    assertEquals(-1, HfModelConfig.read(dir).config().bosTokenId());
  }

  @Test
  void brokenDirectoriesNameTheFileAndTensor() throws Exception {
    ModelConfig c = TinyModelsAccess.llama(new io.github.longrope.rope.NoScaling(), 64);
    HfModel.write(dir, c, TinyModelsAccess.weights(c, 1), SafetensorsFile.Dtype.F16);
    // config says 3 layers, checkpoint has 2
    String json =
        Files.readString(dir.resolve("config.json"))
            .replace("\"num_hidden_layers\" : 2", "\"num_hidden_layers\" : 3");
    Files.writeString(dir.resolve("config.json"), json);
    FormatException e = assertThrows(FormatException.class, () -> HfModel.load(dir));
    assertTrue(e.getMessage().contains("model.layers.2"), e.getMessage());
    Files.writeString(dir.resolve("config.json"), json.replace("\"llama\"", "\"gpt2\""));
    FormatException type = assertThrows(FormatException.class, () -> HfModel.load(dir));
    assertTrue(type.getMessage().contains("'gpt2' is not supported"), type.getMessage());
    FormatException noTokenizer = assertThrows(FormatException.class, () -> HfTokenizer.load(dir));
    assertTrue(
        noTokenizer.getMessage().contains("tokenizer.json")
            && noTokenizer.getMessage().contains("not found"));
    FormatException notModel =
        assertThrows(FormatException.class, () -> HfModel.load(dir.resolve("nothing")));
    assertTrue(notModel.getMessage().contains("no config.json"), notModel.getMessage());
  }
}
