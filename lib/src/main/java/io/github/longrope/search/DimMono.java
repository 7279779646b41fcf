package io.github.longrope.search;

import java.util.random.RandomGenerator;

/**
 * {@code dim_mono} (docs/method.md, "Mutation and crossover (dim_mono)"): monotone non-decreasing
 * λ; each dimension mutates with probability p to a grid value between its neighbours.
 */
public record DimMono() implements Algorithm {
  @Override
  public String name() {
    return "dim_mono";
  }

  @Override
  public Genome initial(Candidate seed) {
    return Genome.of(seed);
  }

  @Override
  public Genome mutateOnce(Genome parent, SearchSpace space, RandomGenerator rng) {
    double[] lambda = parent.candidate().factors();
    for (int j = 0; j < lambda.length; j++) {
      if (rng.nextDouble() < space.probability()) {
        Algorithm.neighbourBounded(lambda, j, space, rng);
      }
    }
    return new Genome(parent.candidate().withFactors(lambda), parent.alpha(), parent.beta());
  }

  @Override
  public boolean valid(Genome g) {
    return g.candidate().isMonotone();
  }
}
