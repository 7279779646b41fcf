package io.github.longrope.eval;

import io.github.longrope.io.HfTokenizer;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.TinyModelsAccess;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Path;

/** A tiny random decoder over the bundled 32k vocabulary, and that tokenizer as a codec. */
final class EvalFixtures {
  static final Path TOKENIZER = Path.of("../datasets/tokenizer/tokenizer.json");

  private EvalFixtures() {}

  static ModelConfig config(RopeScaling rope, int originalLength) {
    return TinyModelsAccess.llama(rope, originalLength).toBuilder().shape(32000, 32, 48, 2).build();
  }

  static Decoder model(ModelConfig c, long seed) {
    return Decoder.load(c, TinyModelsAccess.weights(c, seed));
  }

  static HfTokenizer tokenizer() {
    return HfTokenizer.load(TOKENIZER);
  }

  /** Greedy decoding by full forwards (no cache), table chosen by each step's length. */
  static int[] greedyByFullForwards(Decoder m, RopeScaling rope, int[] ids, int maxNew) {
    int vocab = m.config().vocabSize();
    int[] seq = ids;
    int[] out = new int[maxNew];
    int n = 0;
    while (n < maxNew) {
      float[] logits = m.logits(seq, rope);
      int best = 0;
      int row = (seq.length - 1) * vocab;
      for (int v = 1; v < vocab; v++) {
        if (logits[row + v] > logits[row + best]) {
          best = v;
        }
      }
      out[n++] = best;
      if (m.config().isEos(best)) {
        break;
      }
      seq = java.util.Arrays.copyOf(seq, seq.length + 1);
      seq[seq.length - 1] = best;
    }
    return java.util.Arrays.copyOf(out, n);
  }
}
