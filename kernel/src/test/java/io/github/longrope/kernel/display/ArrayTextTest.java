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
  void largeCollectionsAndMapsAreCutLikeArrays() {
    java.util.List<Integer> big = java.util.stream.IntStream.range(0, 100_000).boxed().toList();
    String text = ArrayText.of(big, 200);
    assertEquals(true, ArrayText.applies(big, 200));
    assertEquals(true, text.startsWith("[0, 1, 2, "), text.substring(0, 20));
    assertEquals(true, text.endsWith(", 199, … 99800 more] (ListN, 100000 elements)"), text);
    assertEquals(true, text.length() < 2000, "cut: " + text.length() + " chars");
    java.util.Map<Integer, int[]> map = new java.util.TreeMap<>();
    for (int i = 0; i < 5; i++) {
      map.put(i, new int[] {i, i});
    }
    assertEquals("{0=[0, 0], 1=[1, 1], … 3 more} (TreeMap, 5 elements)", ArrayText.of(map, 2));
    // small collections keep their own toString()
    assertEquals(false, ArrayText.applies(java.util.List.of(1, 2), 200));
    assertEquals("[1, 2]", ArrayText.of(java.util.List.of(1, 2), 200));
  }

  @Test
  void nonArraysUseToString() {
    assertEquals("x", ArrayText.of("x", 3));
    assertEquals("null", ArrayText.of(null, 3));
  }
}
