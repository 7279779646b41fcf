package io.github.longrope.train;

import io.github.longrope.data.PasskeyMixture;
import io.github.longrope.eval.PasskeyGrid;
import io.github.longrope.eval.TextCodec;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.KvCache;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Passkey retrieval measured during training ({@code passkey_probe} prompts at each validation):
 * retrieval appears abruptly (a copying circuit forms) while the validation loss hardly moves, so a
 * run with a passkey mixture needs its own curve to tell when it has learned, or that it has not.
 *
 * <p>The prompts are the evaluation's ({@link PasskeyGrid} with {@link PasskeyGrid.Sizing#FIT} at
 * the training context, random depth, the official seed 42): BOS + prompt + answer fill the window
 * exactly, so the probe measures retrieval inside the trained window, and the same seed gives the
 * same prompts at every validation, so the curve compares like with like. Eight new tokens hold the
 * answer " K." of a 5-digit key.
 *
 * <p>Accuracy needs every digit right and so stays at 0 long after learning has begun; the probe
 * therefore also reports the answer's mean NLL under teacher forcing (the tokens of " K." after the
 * prompt), which falls smoothly from chance (about ln 10 per digit) as copying is learned.
 */
final class PasskeyProbe implements AutoCloseable {
  private static final int NEW_TOKENS = 8;

  private final HfTokenizer tokenizer;
  private final PasskeyGrid grid;

  private PasskeyProbe(HfTokenizer tokenizer, PasskeyGrid grid) {
    this.tokenizer = tokenizer;
    this.grid = grid;
  }

  /** The probe of a config, or null when {@code passkey_probe} is 0. */
  static PasskeyProbe of(TrainConfig cfg) {
    if (cfg.passkeyProbe() == 0) {
      return null;
    }
    Path tok = Trainer.tokenizerSource(cfg);
    if (tok == null || !Files.exists(tok)) {
      throw new IllegalArgumentException(
          "train config: key 'passkey_probe': needs a tokenizer (model.tokenizer, or tokenizer.json"
              + " in model.init)"
              + (tok == null ? "" : "; not found: " + tok));
    }
    PasskeyGrid grid =
        new PasskeyGrid(
            List.of(cfg.context()),
            List.of(),
            cfg.passkeyProbe(),
            PasskeyGrid.SEED,
            NEW_TOKENS,
            KvCache.Policy.RECOMPUTE,
            PasskeyGrid.Sizing.FIT);
    return new PasskeyProbe(HfTokenizer.load(tok), grid);
  }

  /** What one probe measured. */
  record Result(double accuracy, double answerNll) {}

  /** Greedy accuracy and teacher-forced answer NLL over the probe's prompts. */
  Result run(Decoder model, RopeScaling rope) {
    TextCodec codec = TextCodec.of(tokenizer);
    PasskeyGrid.Result r = grid.run(model, rope, codec, null);
    int bos = model.config().bosTokenId();
    double sum = 0;
    int count = 0;
    for (PasskeyGrid.Trial t : r.trials()) {
      int prompt = t.promptTokens(); // BOS + prompt, as the grid fed them
      int[] ids =
          codec.encodeWithBos(
              PasskeyMixture.withAnswer(t.prompt().text(), t.prompt().passkey()), bos);
      double[] nll = model.nll(ids, rope, 0); // nll[i] scores ids[i + 1]
      for (int i = prompt; i < ids.length; i++) {
        sum += nll[i - 1];
        count++;
      }
    }
    return new Result(r.accuracy(), count == 0 ? Double.NaN : sum / count);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
