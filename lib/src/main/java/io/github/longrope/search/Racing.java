package io.github.longrope.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Early rejection ("racing") of a candidate that cannot enter the parents, as written in a search
 * config's {@code "racing"} object (docs/method.md, "Racing"):
 *
 * <pre>{@code
 * "racing": {"enabled": true, "slack": 0.05}
 * }</pre>
 *
 * <p>A {@link StagedFitness} is exp of the mean of n stage losses (a perplexity over windows).
 * After k stages with losses l₁…lₖ, the full fitness is at least {@code exp((Σᵢ≤ₖ lᵢ + Σⱼ>ₖ fⱼ) /
 * n)} provided every later stage j has a loss ≥ its floor fⱼ. When that bound reaches the survival
 * threshold τ (the fitness a child must beat to enter the parents), the candidate is rejected: it
 * could not have survived, so the remaining stages are not run. The floor is the stated bound:
 *
 * <ul>
 *   <li>no {@code slack} (the default): fⱼ = 0, which holds for every NLL, so a rejection is
 *       certain; with few stages it rarely fires;
 *   <li>{@code slack} σ (nats): fⱼ = max(0, min over the parents of their loss on stage j − σ): the
 *       assumption that no candidate beats every parent on an unseen window by more than σ. It
 *       fires far more often, and is wrong only when that assumption is.
 * </ul>
 *
 * <p>Off (absent or {@code "enabled": false}) the search is exactly the search without racing.
 *
 * @param enabled on/off
 * @param slack σ in nats per stage (null: the zero floor)
 */
public record Racing(Boolean enabled, Double slack) {
  public Racing {
    enabled = enabled != null && enabled;
    SearchConfig.require(
        slack == null || Double.isFinite(slack) && slack >= 0,
        "racing.slack",
        "must be a number >= 0 (nats per window), got " + slack);
  }

  /**
   * The rule for one candidate: reject once the bound reaches {@code threshold}.
   *
   * @param threshold τ; +∞ evaluates in full
   * @param floors fⱼ per stage (null: 0)
   */
  public record Race(double threshold, double[] floors) {
    /** A full evaluation. */
    public static final Race NONE = new Race(Double.POSITIVE_INFINITY, null);

    public Race {
      floors = floors == null ? null : floors.clone();
    }

    boolean active() {
      return threshold < Double.POSITIVE_INFINITY;
    }

    double floor(int stage) {
      return floors == null || stage >= floors.length ? 0 : floors[stage];
    }

    /**
     * After stages 0…i of n with losses summing to {@code sum}: the lower bound on the full fitness
     * when it rejects the candidate, else NaN (also for the last stage, or no race).
     */
    double bound(double sum, int i, int n) {
      if (!active() || i >= n - 1) {
        return Double.NaN;
      }
      double rest = 0;
      for (int j = i + 1; j < n; j++) {
        rest += floor(j);
      }
      double bound = Math.exp((sum + rest) / n);
      // a relative margin: the bound's sum runs in another order than the fitness's
      return bound >= threshold * (1 + 1e-12) ? bound : Double.NaN;
    }

    @Override
    public double[] floors() {
      return floors == null ? null : floors.clone();
    }
  }

  /**
   * The race of a child against the parents.
   *
   * @param threshold the survival threshold (+∞: every child survives, no racing)
   * @param parentLosses stage losses of the parents that have them (rejected ones excluded)
   */
  public Race race(double threshold, List<double[]> parentLosses) {
    if (!enabled || !(threshold < Double.POSITIVE_INFINITY)) {
      return Race.NONE;
    }
    if (slack == null || parentLosses.isEmpty()) {
      return new Race(threshold, null);
    }
    int n = parentLosses.get(0).length;
    double[] floors = new double[n];
    Arrays.fill(floors, Double.POSITIVE_INFINITY);
    for (double[] l : parentLosses) {
      if (l.length != n) {
        return new Race(threshold, null); // mixed stage counts: fall back to the certain floor
      }
      for (int j = 0; j < n; j++) {
        floors[j] = Math.min(floors[j], l[j]);
      }
    }
    for (int j = 0; j < n; j++) {
      floors[j] = Double.isFinite(floors[j]) ? Math.max(0, floors[j] - slack) : 0;
    }
    return new Race(threshold, floors);
  }

  /** Evaluates a candidate under a race: stage by stage when the fitness is staged. */
  public static Evaluation run(Fitness fitness, Candidate c, Race race) {
    if (!(fitness instanceof StagedFitness f)) {
      return fitness.measure(c);
    }
    return runGroup(f, List.of(c), List.of(race))[0];
  }

  /**
   * Several candidates under their own races, stage by stage, each stage one {@link
   * StagedFitness#stages(List, int)} call for the candidates still running: a candidate whose bound
   * reaches its threshold is rejected with the stages it ran and leaves the group.
   */
  static Evaluation[] runGroup(StagedFitness f, List<Candidate> group, List<Race> races) {
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
                  Arrays.copyOf(losses[k], i + 1),
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
}
