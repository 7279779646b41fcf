package io.github.longrope.search;

import io.github.longrope.rope.MagnitudeScaling;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A synthetic search problem: squared distance to a hidden monotone λ*, plus an n̂ preference. */
final class Synthetic {
  private Synthetic() {}

  /** λ*ᵢ: 1 for the first quarter, then a ramp to about 0.8·(1+s). */
  static double[] target(int pairs, double s) {
    double[] t = new double[pairs];
    for (int i = 0; i < pairs; i++) {
      double r = Math.max(0, (i - pairs / 4.0) / (pairs * 0.75));
      t[i] = 1 + 0.8 * s * Math.pow(r, 1.5);
    }
    return t;
  }

  /** Σ (λᵢ − λ*ᵢ)² + 0.05·|n̂ − preferred|/8 + 1. */
  static double distance(Candidate c, double[] target, int preferredStartTokens) {
    double d = 1;
    for (int i = 0; i < target.length; i++) {
      double e = c.factor(i) - target[i];
      d += e * e;
    }
    return d + 0.05 * Math.abs(c.startTokens() - preferredStartTokens) / 8.0;
  }

  /** A fitness that counts its calls and checks every candidate is valid and in bounds. */
  static final class Counting implements Fitness {
    final double[] target;
    final double maxFactor;
    final int preferred;
    final AtomicInteger calls = new AtomicInteger();
    final List<Candidate> seen = new ArrayList<>();
    final long sleepNanos;

    Counting(double[] target, double maxFactor, int preferred, long sleepNanos) {
      this.target = target;
      this.maxFactor = maxFactor;
      this.preferred = preferred;
      this.sleepNanos = sleepNanos;
    }

    @Override
    public double evaluate(Candidate c) {
      calls.incrementAndGet();
      synchronized (seen) {
        seen.add(c);
      }
      if (sleepNanos > 0) {
        try {
          Thread.sleep(0, (int) (Math.random() * sleepNanos));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return distance(c, target, preferred);
    }
  }

  static SearchConfig config(String json) {
    return SearchConfig.parse("{\"version\": 1, " + json + "}", "test");
  }

  /** A small but real budget. */
  static SearchConfig small(String more) {
    return config(
        "\"population\": 16, \"iterations\": 8, \"mutations\": 8, \"crossovers\": 8,"
            + " \"parents\": 8, \"init\": [\"pi\", \"ntk\", \"yarn\"]"
            + (more.isEmpty() ? "" : ", " + more));
  }

  static SearchProblem problem(SearchConfig c, int pairs, double s) {
    io.github.longrope.rope.RopeGeometry g =
        new io.github.longrope.rope.RopeGeometry(2 * pairs, 10000);
    InitialFactors.Seeds seeds = InitialFactors.resolve(c, g, s, 64, 32, 1, null);
    return new SearchProblem(
        RopeTarget.longFactors(64, s, new MagnitudeScaling.Su()),
        s,
        seeds.seeds(),
        c.startTokens().initial() == null ? 0 : c.startTokens().initial());
  }

  /**
   * A staged version of {@link #distance}: stage j has loss wⱼ·ln(distance) (distance ≥ 1, so every
   * loss is ≥ 0), the weights averaging 1, so the fitness is the distance itself; each stage
   * forwards {@code tokens} tokens.
   */
  static final class Staged implements StagedFitness {
    final double[] target;
    final double[] weights;
    final int preferred;
    final long tokens;
    final AtomicInteger stagesRun = new AtomicInteger();

    Staged(double[] target, double[] weights, int preferred, long tokens) {
      this.target = target;
      this.weights = weights.clone();
      this.preferred = preferred;
      this.tokens = tokens;
    }

    @Override
    public int stages() {
      return weights.length;
    }

    @Override
    public Stage stage(Candidate c, int index) {
      stagesRun.incrementAndGet();
      return new Stage(weights[index] * Math.log(distance(c, target, preferred)), tokens);
    }
  }
}
