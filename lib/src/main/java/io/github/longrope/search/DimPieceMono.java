package io.github.longrope.search;

import java.util.random.RandomGenerator;

/**
 * {@code dim_piece_mono} (docs/method.md, "Piecewise factors (dim_piece_mono)"): the genome adds
 * piece bounds α &lt; β; dimensions i ≤ α tend to λ = 1 (extrapolation), i &gt; β to λ = s (PI),
 * and those between are searched as in {@code dim_mono}.
 *
 * <p>A mutation first moves α or β (50/50) to {@code int(Normal(current, 2))}, redrawing until 0 ≤
 * α &lt; β &lt; d/2; then every factor dimension, with probability p, is set to 1 (i ≤ α), to s (i
 * &gt; β) or to a neighbour-bounded grid value. Unlike upstream, the last two dimensions mutate too
 * (upstream's loop stops two genes early).
 */
public record DimPieceMono() implements Algorithm {
  /** Standard deviation of the α/β move. */
  static final double BOUND_SD = 2.0;

  /** Redraws of α/β before a mutation attempt gives up (only reachable when d/2 &lt; 2). */
  static final int MAX_BOUND_DRAWS = 10_000;

  @Override
  public String name() {
    return "dim_piece_mono";
  }

  @Override
  public Genome initial(Candidate seed) {
    if (seed.pairs() < 2) {
      throw new IllegalArgumentException("dim_piece_mono needs d/2 >= 2, got " + seed.pairs());
    }
    return new Genome(seed, 0, 0);
  }

  @Override
  public Genome mutateOnce(Genome parent, SearchSpace space, RandomGenerator rng) {
    int pairs = space.pairs();
    int alpha = parent.alpha();
    int beta = parent.beta();
    boolean moved = false;
    for (int draw = 0; draw < MAX_BOUND_DRAWS && !moved; draw++) {
      int a = parent.alpha();
      int b = parent.beta();
      if (rng.nextBoolean()) {
        a = (int) (a + BOUND_SD * rng.nextGaussian());
      } else {
        b = (int) (b + BOUND_SD * rng.nextGaussian());
      }
      if (0 <= a && a < b && b < pairs) {
        alpha = a;
        beta = b;
        moved = true;
      }
    }
    if (!moved) {
      return parent; // not novel: the caller tries again or gives up
    }
    double[] lambda = parent.candidate().factors();
    for (int i = 0; i < pairs; i++) {
      if (rng.nextDouble() < space.probability()) {
        if (i <= alpha) {
          lambda[i] = 1.0;
        } else if (i > beta) {
          lambda[i] = space.scale();
        } else {
          Algorithm.neighbourBounded(lambda, i, space, rng);
        }
      }
    }
    return new Genome(parent.candidate().withFactors(lambda), alpha, beta);
  }

  @Override
  public boolean valid(Genome g) {
    return 0 <= g.alpha() && g.alpha() <= g.beta() && g.candidate().isMonotone();
  }
}
