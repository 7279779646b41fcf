package io.github.longrope.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.Placement;
import io.github.longrope.model.Precision;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.rope.YarnScaling;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Passkey retrieval in f16 against f32 on the bundled model (the perplexity side:
 * HalfPrecisionTest).
 */
class HalfPrecisionPasskeyTest {
  /**
   * Passkey retrieval answers the same in f16 as in f32 on the bundled model, trial by trial, with
   * fitted prompts (each fills its window) within L and at 2L under YaRN.
   */
  @Test
  void passkeyAnswersAreTheSameInF16() throws IOException {
    Path dir = Path.of("../models/bundled");
    ModelConfig c = HfModelConfig.read(dir).config();
    PasskeyGrid grid = PasskeyGrid.of(List.of(256, 512), 3, 2).withSizing(PasskeyGrid.Sizing.FIT);
    RopeScaling yarn = YarnScaling.of(2, c.maxPositionEmbeddings());
    try (HfTokenizer tok = HfTokenizer.load(dir);
        Decoder f32 = HfModel.load(dir, c, Precision.F32, Placement.CPU);
        Decoder f16 = HfModel.load(dir, c, Precision.F16, Placement.CPU)) {
      TextCodec codec = TextCodec.of(tok);
      List<PasskeyGrid.Trial> a = grid.run(f32, yarn, codec, null).trials();
      List<PasskeyGrid.Trial> b = grid.run(f16, yarn, codec, null).trials();
      assertEquals(12, a.size());
      int correct = 0;
      for (int i = 0; i < a.size(); i++) {
        assertEquals(a.get(i).prompt().passkey(), b.get(i).prompt().passkey());
        assertEquals(a.get(i).answerText(), b.get(i).answerText(), "trial " + i);
        assertEquals(a.get(i).correct(), b.get(i).correct(), "trial " + i);
        correct += a.get(i).correct() ? 1 : 0;
      }
      System.out.printf("passkey: %d of %d trials correct in both dtypes%n", correct, a.size());
    }
  }
}
