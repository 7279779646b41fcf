package io.github.longrope.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Evaluates a generation in groups of up to {@code size} candidates on the calling thread, each
 * group one {@link StagedFitness#stages(List, int)} call per stage: with a fitness that batches
 * (the perplexity fitness does, through {@code model.CandidateBatch}), one forward per window for
 * the whole group instead of one per candidate.
 *
 * <p>Racing works per candidate as in {@link Racing#run}: after each stage every candidate still
 * running is checked against its own race, and a rejected one leaves the group for the remaining
 * stages. Results are reported in batch order once their group is done; a candidate's seconds are
 * the group's wall time divided evenly (the forward is shared, so no finer split exists).
 */
final class BatchedEvaluator implements Evaluator {
  private final StagedFitness fitness;
  private final int size;

  BatchedEvaluator(StagedFitness fitness, int size) {
    this.fitness = Objects.requireNonNull(fitness, "fitness");
    if (size < 2) {
      throw new IllegalArgumentException("a batch needs at least 2 candidates, got " + size);
    }
    this.size = size;
  }

  @Override
  public double[] evaluate(List<Candidate> batch, Listener listener) {
    return evaluate(batch, Collections.nCopies(batch.size(), Racing.Race.NONE), listener);
  }

  @Override
  public double[] evaluate(List<Candidate> batch, List<Racing.Race> races, Listener listener) {
    double[] out = new double[batch.size()];
    for (int g = 0; g < out.length; g += size) {
      Evaluator.checkCancelled();
      int end = Math.min(out.length, g + size);
      long t0 = System.nanoTime();
      Evaluation[] group;
      try {
        group = run(fitness, batch.subList(g, end), races.subList(g, end));
      } catch (RuntimeException x) {
        throw Evaluator.cancellationOr(x);
      }
      double seconds = (System.nanoTime() - t0) / 1e9 / (end - g);
      for (int k = 0; k < group.length; k++) {
        Evaluation e = group[k].sanitized();
        out[g + k] = e.rank();
        listener.evaluated(g + k, batch.get(g + k), e, seconds);
      }
    }
    Evaluator.checkCancelled();
    return out;
  }

  /** {@link Racing#run} for a group: the same losses, bounds and rejections per candidate. */
  static Evaluation[] run(StagedFitness f, List<Candidate> group, List<Racing.Race> races) {
    int n = f.stages();
    int b = group.size();
    double[][] losses = new double[b][n];
    long[] tokens = new long[b];
    double[] sums = new double[b];
    Evaluation[] done = new Evaluation[b];
    for (int i = 0; i < n; i++) {
      List<Integer> live = new ArrayList<>();
      for (int k = 0; k < b; k++) {
        if (done[k] == null) {
          live.add(k);
        }
      }
      if (live.isEmpty()) {
        break;
      }
      StagedFitness.Stage[] stages = f.stages(live.stream().map(group::get).toList(), i);
      for (int j = 0; j < stages.length; j++) {
        int k = live.get(j);
        losses[k][i] = stages[j].loss();
        tokens[k] += stages[j].tokens();
        sums[k] += stages[j].loss();
        double bound = races.get(k).bound(sums[k], i, n);
        if (!Double.isNaN(bound)) {
          done[k] =
              new Evaluation(
                  StagedFitness.combine(losses[k], i + 1),
                  tokens[k],
                  java.util.Arrays.copyOf(losses[k], i + 1),
                  true,
                  bound);
        }
      }
    }
    for (int k = 0; k < b; k++) {
      if (done[k] == null) {
        done[k] = Evaluation.full(StagedFitness.combine(losses[k], n), tokens[k], losses[k]);
      }
    }
    return done;
  }

  @Override
  public int workers() {
    return 1;
  }
}
