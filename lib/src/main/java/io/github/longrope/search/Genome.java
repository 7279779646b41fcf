package io.github.longrope.search;

/**
 * An individual of the genetic algorithm: the candidate the fitness sees plus algorithm state that
 * it does not see ({@code dim_piece_mono}'s piece bounds α ≤ β; 0 for {@code dim_mono}).
 *
 * <p>Novelty and the fitness cache look at the candidate only, so two genomes that give the model
 * the same factors are one individual and are evaluated once.
 */
public record Genome(Candidate candidate, int alpha, int beta) {
  public static Genome of(Candidate c) {
    return new Genome(c, 0, 0);
  }
}
