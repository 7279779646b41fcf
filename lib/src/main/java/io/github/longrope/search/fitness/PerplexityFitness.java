package io.github.longrope.search.fitness;

import io.github.longrope.data.Documents;
import io.github.longrope.eval.Perplexity;
import io.github.longrope.model.Decoder;
import io.github.longrope.search.Candidate;
import io.github.longrope.search.Fitness;
import io.github.longrope.search.RopeTarget;
import java.util.concurrent.CancellationException;

/**
 * The official search fitness (docs/method.md, "Fitness"): perplexity of the model at the target
 * length, by the official protocol ({@link Perplexity}; the search uses truncate mode: the first L′
 * − 1 tokens of each of the first {@code samples} documents with at least {@code min_tokens}
 * tokens), with the candidate's RoPE built by a {@link RopeTarget}.
 *
 * <p>On the thread that runs the search, an interrupt between two windows abandons the candidate
 * with a {@link CancellationException} (it is then evaluated again on resume).
 */
public final class PerplexityFitness implements Fitness {
  private final Decoder model;
  private final Documents docs;
  private final Perplexity protocol;
  private final RopeTarget target;

  public PerplexityFitness(Decoder model, Documents docs, Perplexity protocol, RopeTarget target) {
    this.model = model;
    this.docs = docs;
    this.protocol = protocol;
    this.target = target;
  }

  @Override
  public double evaluate(Candidate candidate) {
    return protocol
        .evaluate(
            model,
            target.scaling(candidate),
            docs,
            (done, total) -> {
              if (Thread.interrupted()) {
                throw new CancellationException("search cancelled during a perplexity evaluation");
              }
            })
        .ppl();
  }
}
