package io.github.longrope.search;

/**
 * One line of {@code history.jsonl}: an evaluated candidate.
 *
 * @param generation −1 auto-rescale, 0 initial population, 1…T iterations
 * @param fitness +∞ for a non-finite value (written as null)
 * @param seconds wall time of the evaluation
 */
public record HistoryEntry(int generation, Candidate candidate, double fitness, double seconds) {}
