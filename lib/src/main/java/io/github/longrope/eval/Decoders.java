package io.github.longrope.eval;

import io.github.longrope.model.Decoder;

/**
 * The decoder of the model asked for last: asking for another closes it before loading the next, so
 * at most one model's weights are in memory. Evaluations ask model by model (a grid's settings in
 * order, a plan's sections per setting), which makes that one load per model in practice.
 */
final class Decoders implements AutoCloseable {
  private EvalModel model;
  private Decoder decoder;

  Decoder get(EvalModel m) {
    if (!m.equals(model)) {
      close();
      decoder = m.load();
      model = m;
    }
    return decoder;
  }

  @Override
  public void close() {
    if (decoder != null) {
      decoder.close();
    }
    decoder = null;
    model = null;
  }
}
