package io.github.longrope.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What racing would have saved on a finished evolution run, computed from its {@code history.jsonl}
 * alone (no forward pass): every child of generations 1…T is raced, with {@link Racing}'s own rule,
 * against the parents it was bred from, using the per-window losses the run recorded. A run
 * directory costs minutes of forwards per candidate; this answers "which slack would have paid, and
 * would it have rejected a child that survived?" in milliseconds.
 *
 * <p>The parents of generation g are the best {@code parents} of everything evaluated before it
 * (the evolution keeps its parents among the candidates of the next population, so the survivors of
 * every generation are the best of all seen so far). A rejection the rule gets wrong (the child
 * would have entered the parents) would change the run after it, so the replay is exact while
 * {@link Row#wronglyRejected()} is 0 and an estimate otherwise.
 */
public final class RacingReplay {
  private RacingReplay() {}

  /**
   * One rule replayed over a run.
   *
   * @param rule {@code certain} (zero floor) or {@code slack σ}
   * @param children children of generations 1…T with recorded losses
   * @param rejected children the rule stops before their last window
   * @param wronglyRejected rejected children whose full fitness beat the survival threshold
   * @param tokensSaved forward tokens of the windows the rule skips
   * @param forwardTokens forward tokens of the whole run as it ran
   */
  public record Row(
      String rule,
      long children,
      long rejected,
      long wronglyRejected,
      long tokensSaved,
      long forwardTokens) {
    /** Saved tokens as a fraction of the run's. */
    public double savedFraction() {
      return forwardTokens == 0 ? 0 : (double) tokensSaved / forwardTokens;
    }

    public String text() {
      return String.format(
          Locale.ROOT,
          "%-12s children %d, rejected %d (%.1f%%), wrongly %d, tokens saved %d of %d (%.1f%%)%n",
          rule,
          children,
          rejected,
          children == 0 ? 0 : 100.0 * rejected / children,
          wronglyRejected,
          tokensSaved,
          forwardTokens,
          100 * savedFraction());
    }
  }

  /** The replays of one run. */
  public record Report(String run, String algorithm, int parents, List<Row> rows) {
    public String text() {
      StringBuilder sb =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "racing replayed over %s (%s, %d parents), no forward pass:%n",
                  run,
                  algorithm,
                  parents));
      rows.forEach(r -> sb.append(r.text()));
      return sb.toString();
    }
  }

  /**
   * Replays the certain bound and each slack over the history of an evolution run without racing.
   *
   * @param run the run's name in the report
   * @param c the run's search config
   */
  public static Report of(
      String run, SearchConfig c, List<HistoryEntry> history, List<Double> slacks) {
    if (!c.algorithm().startsWith("dim_")) {
      throw new IllegalArgumentException(
          run
              + ": algorithm '"
              + c.algorithm()
              + "': the replay reconstructs an evolution's parents (dim_mono, dim_piece_mono)");
    }
    if (c.startTokens().search()) {
      throw new IllegalArgumentException(
          run
              + ": a run with the n̂ search: its history does not tell n̂ sweeps (never raced) from"
              + " children, so a replay would overcount");
    }
    if (history.stream().noneMatch(h -> h.losses().length > 0)) {
      throw new IllegalArgumentException(
          run
              + ": its history.jsonl records no per-window losses (a run from before they were"
              + " recorded, or a fitness of one window); the replay needs them");
    }
    List<Row> rows = new ArrayList<>();
    rows.add(replay(history, c.effectiveParents(), new Racing(true, null)));
    for (double s : slacks) {
      rows.add(replay(history, c.effectiveParents(), new Racing(true, s)));
    }
    return new Report(run, c.algorithm(), c.effectiveParents(), rows);
  }

  /**
   * Replays {@code racing} over a run's history.
   *
   * @param parents the evolution's parent count (its config's effective parents)
   */
  public static Row replay(List<HistoryEntry> history, int parents, Racing racing) {
    if (parents < 1) {
      throw new IllegalArgumentException("parents must be >= 1, got " + parents);
    }
    Map<Integer, List<HistoryEntry>> byGeneration = new TreeMap<>();
    long forwardTokens = 0;
    for (HistoryEntry h : history) {
      if (h.rejected()) {
        throw new IllegalArgumentException(
            "the run raced already (a rejected candidate has no full fitness to replay against);"
                + " replay a run without racing");
      }
      byGeneration.computeIfAbsent(h.generation(), g -> new ArrayList<>()).add(h);
      forwardTokens += Math.max(0, h.tokens());
    }
    List<HistoryEntry> seen = new ArrayList<>();
    long children = 0;
    long rejected = 0;
    long wrongly = 0;
    long saved = 0;
    for (Map.Entry<Integer, List<HistoryEntry>> g : byGeneration.entrySet()) {
      if (g.getKey() >= 1 && seen.size() >= parents) {
        List<HistoryEntry> best =
            seen.stream()
                .sorted(Comparator.comparingDouble(HistoryEntry::fitness))
                .limit(parents)
                .toList();
        double threshold = best.get(best.size() - 1).fitness();
        List<double[]> parentLosses = new ArrayList<>();
        for (HistoryEntry p : best) {
          if (p.losses().length > 0) {
            parentLosses.add(p.losses());
          }
        }
        Racing.Race race = racing.race(threshold, parentLosses);
        for (HistoryEntry c : g.getValue()) {
          double[] l = c.losses();
          if (l.length == 0) {
            continue;
          }
          children++;
          double sum = 0;
          for (int i = 0; i < l.length; i++) {
            sum += l[i];
            if (!Double.isNaN(race.bound(sum, i, l.length))) {
              rejected++;
              saved += Math.max(0, c.tokens()) * (l.length - 1 - i) / l.length;
              if (c.fitness() < threshold) {
                wrongly++;
              }
              break;
            }
          }
        }
      }
      seen.addAll(g.getValue());
    }
    String rule =
        !racing.enabled() ? "off" : racing.slack() == null ? "certain" : "slack " + racing.slack();
    return new Row(rule, children, rejected, wrongly, saved, forwardTokens);
  }
}
