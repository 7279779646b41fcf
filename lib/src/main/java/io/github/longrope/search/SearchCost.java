package io.github.longrope.search;

import java.util.ArrayList;
import java.util.List;

/**
 * What a search spent, read from its history in evaluation order: forward tokens, fitness time,
 * rejected candidates, and the best fitness as a function of the tokens spent (the curve by which
 * optimizers are compared: {@code bench search --compare}).
 *
 * @param evaluations history lines (candidates evaluated, in full or rejected)
 * @param rejected candidates stopped early by racing
 * @param forwardTokens tokens forwarded by all evaluations
 * @param tokensKnown false when some lines predate token accounting (their tokens count as 0)
 * @param fitnessSeconds summed wall time of the evaluations
 * @param curve the best full fitness after each improvement, with the tokens and fitness seconds
 *     spent up to and including it
 */
public record SearchCost(
    long evaluations,
    long rejected,
    long forwardTokens,
    boolean tokensKnown,
    double fitnessSeconds,
    List<Point> curve) {

  public SearchCost {
    curve = List.copyOf(curve);
  }

  /** A point of the best-so-far curve. */
  public record Point(long evaluations, long tokens, double seconds, double best) {}

  /** The cost of a history, in file order. */
  public static SearchCost of(List<HistoryEntry> history) {
    Builder b = new Builder();
    history.forEach(b::add);
    return b.build();
  }

  /**
   * The first point whose best fitness is at most {@code target} (relative tolerance {@code rtol}),
   * or null when the search never got there.
   */
  public Point reached(double target, double rtol) {
    for (Point p : curve) {
      if (p.best() <= target * (1 + rtol)) {
        return p;
      }
    }
    return null;
  }

  /** Accumulates history lines in evaluation order. */
  public static final class Builder {
    private long evaluations;
    private long rejected;
    private long tokens;
    private boolean known = true;
    private double seconds;
    private double best = Double.POSITIVE_INFINITY;
    private final List<Point> curve = new ArrayList<>();

    public synchronized void add(HistoryEntry e) {
      evaluations++;
      seconds += e.seconds();
      if (e.tokens() < 0) {
        known = false;
      } else {
        tokens += e.tokens();
      }
      if (e.rejected()) {
        rejected++;
      } else if (e.fitness() < best) {
        best = e.fitness();
        curve.add(new Point(evaluations, tokens, seconds, best));
      }
    }

    public synchronized SearchCost build() {
      return new SearchCost(evaluations, rejected, tokens, known, seconds, curve);
    }
  }
}
