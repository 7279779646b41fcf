package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SplitDocumentsTest {
  @Test
  void piecesAreInterleavedAndTailsDropped() {
    int[] a = {0, 1, 2, 3, 4, 5, 6};
    int[] b = {10, 11, 12};
    SplitDocuments s = new SplitDocuments(new InMemoryDocuments(List.of(a, b)), 3);
    assertEquals(3, s.size());
    assertArrayEquals(new int[] {0, 1, 2}, s.document(0));
    assertArrayEquals(new int[] {10, 11, 12}, s.document(1));
    assertArrayEquals(new int[] {3, 4, 5}, s.document(2));
    assertEquals(3, s.length(2));
  }
}
