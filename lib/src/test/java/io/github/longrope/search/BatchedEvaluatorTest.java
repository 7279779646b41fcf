package io.github.longrope.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Batching changes how many candidates share a stage call, never what a candidate gets: with a
 * fitness whose group stage is its single stage, the batched evaluator reports exactly what {@link
 * Racing#run} gives per candidate (fitness, tokens, losses, rejections and bounds), in batch order,
 * for every group size.
 */
class BatchedEvaluatorTest {

  /** Stage losses drawn from the candidate's factors; counts the group calls. */
  static final class Counting implements StagedFitness {
    final List<Integer> groupSizes = new ArrayList<>();

    @Override
    public int stages() {
      return 5;
    }

    @Override
    public Stage stage(Candidate c, int index) {
      SplittableRandom r = new SplittableRandom(Double.hashCode(c.factor(0)) * 31L + index);
      return new Stage(3 + r.nextDouble(-1, 1), 100 + index);
    }

    @Override
    public Stage[] stages(List<Candidate> group, int index) {
      groupSizes.add(group.size());
      return StagedFitness.super.stages(group, index);
    }
  }

  static List<Candidate> candidates(int n) {
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Candidate(new double[] {1 + i * 0.01, 2}, 0, 2));
    }
    return out;
  }

  @Test
  void everyCandidateGetsWhatItGetsAlone() {
    List<Candidate> batch = candidates(11);
    List<Racing.Race> races = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      // none, a threshold most reach after 2 stages, one none reaches
      races.add(
          switch (i % 3) {
            case 0 -> Racing.Race.NONE;
            case 1 -> new Racing.Race(Math.exp(1.2), null);
            default -> new Racing.Race(Math.exp(3.5), new double[] {2, 2, 2, 2, 2});
          });
    }
    for (int size : new int[] {2, 3, 4, 11, 16}) {
      Counting f = new Counting();
      List<Evaluation> reported = new ArrayList<>(Collections.nCopies(batch.size(), null));
      Evaluator.Listener keep =
          new Evaluator.Listener() {
            @Override
            public void evaluated(int i, Candidate c, double fitness, double seconds) {}

            @Override
            public void evaluated(int i, Candidate c, Evaluation e, double seconds) {
              reported.set(i, e);
            }
          };
      double[] ranks = new BatchedEvaluator(f, size).evaluate(batch, races, keep);
      int rejected = 0;
      for (int i = 0; i < batch.size(); i++) {
        Evaluation alone = Racing.run(f, batch.get(i), races.get(i));
        Evaluation got = reported.get(i);
        assertEquals(alone.fitness(), got.fitness(), "candidate " + i + ", groups of " + size);
        assertEquals(alone.tokens(), got.tokens());
        assertArrayEquals(alone.losses(), got.losses());
        assertEquals(alone.rejected(), got.rejected());
        assertEquals(alone.bound(), got.bound());
        assertEquals(alone.rank(), ranks[i]);
        rejected += got.rejected() ? 1 : 0;
      }
      assertTrue(rejected > 0 && rejected < batch.size(), "some race fires: " + rejected);
      assertTrue(f.groupSizes.stream().allMatch(g -> g <= size), "groups of at most " + size);
    }
  }

  @Test
  void aGroupRunsOneStageCallPerStageAndDropsRejectedCandidates() {
    Counting f = new Counting();
    List<Candidate> group = candidates(4);
    List<Racing.Race> races =
        List.of(
            Racing.Race.NONE,
            new Racing.Race(1, null), // rejected after the first stage (any loss > 0 exceeds e^0)
            Racing.Race.NONE,
            Racing.Race.NONE);
    Racing.runGroup(f, group, races);
    assertEquals(List.of(4, 3, 3, 3, 3), f.groupSizes);
  }

  @Test
  void sizeOneOrAPlainFitnessIsSequential() {
    Fitness plain = c -> c.factor(0);
    assertSame(SequentialEvaluator.class, Evaluator.batched(plain, 4).getClass());
    assertSame(SequentialEvaluator.class, Evaluator.batched(new Counting(), 1).getClass());
    assertSame(BatchedEvaluator.class, Evaluator.batched(new Counting(), 4).getClass());
  }
}
