package io.github.longrope.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Candidates with optional fitness values, looked up by {@link Candidate#closeTo} (the official
 * history de-duplication). Used twice by the search: as the history of everything generated in a
 * run (novelty), and as the fitness cache (every candidate is evaluated once; a resumed run reads
 * its cache from {@code history.jsonl}).
 *
 * <p>Exact matches are found through a hash map; otherwise candidates with the same n̂ and s are
 * scanned linearly (a few thousand per run, so this stays far below a forward pass).
 */
final class CandidateSet {
  private final Map<Candidate, Integer> exact = new HashMap<>();
  private final Map<Key, List<Integer>> groups = new HashMap<>();
  private final List<Candidate> candidates = new ArrayList<>();
  private final List<Double> values = new ArrayList<>();

  private record Key(int startTokens, double scale) {}

  int size() {
    return candidates.size();
  }

  /** Index of a candidate close to {@code c}, or -1. */
  int indexOf(Candidate c) {
    Integer i = exact.get(c);
    if (i != null) {
      return i;
    }
    List<Integer> group = groups.get(new Key(c.startTokens(), c.scale()));
    if (group != null) {
      for (int j : group) {
        if (c.closeTo(candidates.get(j))) {
          return j;
        }
      }
    }
    return -1;
  }

  boolean contains(Candidate c) {
    return indexOf(c) >= 0;
  }

  /** Adds {@code c} with no value yet unless a close candidate is present; true if added. */
  boolean add(Candidate c) {
    if (contains(c)) {
      return false;
    }
    put(c, Double.NaN);
    return true;
  }

  /** Sets the value of {@code c} (adding it when absent). */
  void put(Candidate c, double value) {
    int i = indexOf(c);
    if (i >= 0) {
      values.set(i, value);
      return;
    }
    int index = candidates.size();
    candidates.add(Objects.requireNonNull(c));
    values.add(value);
    exact.putIfAbsent(c, index);
    groups.computeIfAbsent(new Key(c.startTokens(), c.scale()), k -> new ArrayList<>()).add(index);
  }

  /** The value of a candidate close to {@code c}, if one is present and has a value. */
  OptionalDouble value(Candidate c) {
    int i = indexOf(c);
    if (i < 0 || Double.isNaN(values.get(i))) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(values.get(i));
  }
}
