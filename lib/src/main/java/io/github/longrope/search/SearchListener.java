package io.github.longrope.search;

/**
 * Live progress of a search (the CLI's progress bar, the notebook kernel's display). All calls come
 * from the thread that runs the search, in order. Generation −1 is auto-rescale, 0 the initial
 * population, 1…T the iterations.
 */
public interface SearchListener {
  /** No-op listener. */
  SearchListener NONE = new SearchListener() {};

  /** A generation's batch is about to be evaluated ({@code candidates} new or cached). */
  default void generationStarted(int generation, int generations, int candidates) {}

  /** One candidate was evaluated now (cached candidates are not reported). */
  default void candidateEvaluated(Candidate candidate, double fitness, SearchProgress progress) {}

  /** A generation is done; {@code progress.bestFitness()} is the best so far. */
  default void generationFinished(int generation, SearchProgress progress) {}

  /**
   * The search was interrupted and is about to end with a {@code CancellationException}: the last
   * call, so that a live display can say it stopped (everything evaluated is already in the run's
   * history).
   */
  default void searchStopped(SearchProgress progress) {}
}
