package io.github.longrope.spark;

import io.github.longrope.search.Candidate;
import java.io.Serial;
import java.io.Serializable;

/**
 * One candidate as a Spark task carries it (a {@link Candidate} is not serializable, and the index
 * says where its result goes in the batch).
 *
 * @param index position in the generation's batch
 * @param factors λ
 * @param startTokens n̂
 * @param scale s
 */
record CandidateTask(int index, double[] factors, int startTokens, double scale)
    implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  static CandidateTask of(int index, Candidate c) {
    return new CandidateTask(index, c.factors(), c.startTokens(), c.scale());
  }

  Candidate candidate() {
    return new Candidate(factors, startTokens, scale);
  }
}
