package io.github.longrope.search;

/**
 * A fitness that is the exponential of the mean of independent stage losses (a perplexity: one
 * stage per evaluation window, each the mean NLL of its scored tokens), so that it can be evaluated
 * stage by stage and stopped early by {@link Racing}.
 *
 * <p>{@link #evaluate} and {@link #measure} run every stage and give exactly what the fitness gave
 * before it was staged: the stage losses are summed in order and {@code exp(sum / n)} taken, as the
 * perplexity protocol does.
 */
public interface StagedFitness extends Fitness {

  /** One stage's loss (≥ 0 for an NLL) and the tokens it forwarded. */
  record Stage(double loss, long tokens) {}

  /** Number of stages of every evaluation. */
  int stages();

  /** Runs stage {@code index} (0 ≤ index < {@link #stages()}) on a candidate. */
  Stage stage(Candidate candidate, int index);

  /**
   * Runs stage {@code index} on several candidates, in order. A fitness that can score them in one
   * pass (one forward whose rows carry the candidates' RoPE tables) overrides this; the default
   * runs them one by one. The stages may differ from {@link #stage}'s in the last bits (another
   * summation order), so a run that batches says so in its record.
   */
  default Stage[] stages(java.util.List<Candidate> group, int index) {
    Stage[] out = new Stage[group.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = stage(group.get(k), index);
    }
    return out;
  }

  /** {@code exp} of the mean of the first {@code count} losses. */
  static double combine(double[] losses, int count) {
    double sum = 0;
    for (int i = 0; i < count; i++) {
      sum += losses[i];
    }
    return Math.exp(sum / count);
  }

  @Override
  default Evaluation measure(Candidate candidate) {
    return Racing.run(this, candidate, Racing.Race.NONE);
  }

  @Override
  default double evaluate(Candidate candidate) {
    return measure(candidate).fitness();
  }
}
