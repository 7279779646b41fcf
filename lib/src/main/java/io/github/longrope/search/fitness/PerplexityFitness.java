package io.github.longrope.search.fitness;

import io.github.longrope.data.Documents;
import io.github.longrope.eval.Perplexity;
import io.github.longrope.model.CandidateBatch;
import io.github.longrope.model.Decoder;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.search.Candidate;
import io.github.longrope.search.RopeTarget;
import io.github.longrope.search.StagedFitness;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * The official search fitness (docs/method.md, "Fitness"): perplexity of the model at the target
 * length, by the official protocol ({@link Perplexity}; the search uses truncate mode: the first L′
 * − 1 tokens of each of the first {@code samples} documents with at least {@code min_tokens}
 * tokens), with the candidate's RoPE built by a {@link RopeTarget}.
 *
 * <p>It is staged by window (one per document in truncate mode), so that racing can stop a
 * candidate between windows; run in full it gives exactly {@link Perplexity#evaluate}'s value (the
 * same window losses, summed in the same order). Each stage reports the tokens it forwarded.
 *
 * <p>On the thread that runs the search, an interrupt between two windows abandons the candidate
 * with a {@link CancellationException} (it is then evaluated again on resume).
 */
public final class PerplexityFitness implements StagedFitness {
  private final Decoder model;
  private final RopeTarget target;
  private final List<Perplexity.WindowInput> windows;

  public PerplexityFitness(Decoder model, Documents docs, Perplexity protocol, RopeTarget target) {
    this.model = model;
    this.target = target;
    this.windows = List.copyOf(protocol.inputs(model, docs));
  }

  @Override
  public int stages() {
    return windows.size();
  }

  @Override
  public Stage stage(Candidate candidate, int index) {
    if (index > 0 && Thread.interrupted()) {
      throw new CancellationException("search cancelled during a perplexity evaluation");
    }
    Perplexity.WindowInput w = windows.get(index);
    double loss = Perplexity.windowLoss(model, target.scaling(candidate), w.input(), w.from());
    return new Stage(loss, w.input().length);
  }

  /** One forward for the whole group ({@link CandidateBatch}): the same window, B RoPE tables. */
  @Override
  public Stage[] stages(List<Candidate> group, int index) {
    if (index > 0 && Thread.interrupted()) {
      throw new CancellationException("search cancelled during a perplexity evaluation");
    }
    Perplexity.WindowInput w = windows.get(index);
    List<RopeScaling> ropes = group.stream().<RopeScaling>map(target::scaling).toList();
    double[][] nll = CandidateBatch.nll(model, w.input(), ropes, w.from());
    Stage[] out = new Stage[nll.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = new Stage(Perplexity.meanLoss(nll[k]), w.input().length);
    }
    return out;
  }
}
