package io.github.longrope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bench's zero-cost reference (greedy list scheduling in batch order) and its flags. */
class SparkBenchTest {
  @Test
  void makespanIsWhatTheLocalParallelEvaluatorWouldTake() {
    assertEquals(2.0, SparkBench.makespan(new double[] {1, 1, 1, 1}, 2));
    assertEquals(3.0, SparkBench.makespan(new double[] {3, 1, 1, 1}, 2));
    assertEquals(4.0, SparkBench.makespan(new double[] {1, 3, 1, 2}, 2)); // 1+1+2 | 3
    assertEquals(6.0, SparkBench.makespan(new double[] {1, 2, 3}, 1));
    assertEquals(3.0, SparkBench.makespan(new double[] {1, 2, 3}, 8));
  }

  @Test
  void badFlagsAreErrorsBeforeAnyWork() throws Exception {
    assertEquals(2, SparkBench.run(new String[] {"--bogus"}));
    assertEquals(2, SparkBench.run(new String[] {"--model", "/nonexistent/model"}));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SparkBench.run(new String[] {"--population", "many"}));
    assertTrue(e.getMessage().contains("--population") && e.getMessage().contains("'many'"));
  }
}
