package io.github.longrope.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ArrayTextTest {
  @Test
  void primitiveObjectAndNestedArrays() {
    assertEquals("[0.5, 0.25]", ArrayText.of(new double[] {0.5, 0.25}, 10));
    assertEquals("[a, null]", ArrayText.of(new String[] {"a", null}, 10));
    assertEquals("[[1, 2], [3]]", ArrayText.of(new int[][] {{1, 2}, {3}}, 10));
    assertEquals("[]", ArrayText.of(new long[0], 10));
  }

  @Test
  void longArraysAreCut() {
    assertEquals("[0, 1, … 3 more]", ArrayText.of(new int[] {0, 1, 2, 3, 4}, 2));
  }

  @Test
  void nonArraysUseToString() {
    assertEquals("x", ArrayText.of("x", 3));
    assertEquals("null", ArrayText.of(null, 3));
  }
}
