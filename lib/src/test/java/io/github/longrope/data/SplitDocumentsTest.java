package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void evenlySpreadsPiecesThroughTheWholeText() {
    int[] book = new int[100];
    for (int i = 0; i < book.length; i++) {
      book[i] = i;
    }
    Documents picked = SplitDocuments.evenly(new InMemoryDocuments(List.of(book)), 10, 4);
    assertEquals(4, picked.size());
    // ten pieces of ten tokens; pieces 0, 2, 5 and 7 (k * 10 / 4)
    assertArrayEquals(new int[] {0, 20, 50, 70}, firsts(picked));
    assertEquals(10, picked.length(3));
    assertEquals(10, SplitDocuments.evenly(new InMemoryDocuments(List.of(book)), 10, 99).size());
    IllegalArgumentException tooLong =
        assertThrows(
            IllegalArgumentException.class,
            () -> SplitDocuments.evenly(new InMemoryDocuments(List.of(book)), 101, 2));
    assertTrue(tooLong.getMessage().contains("101 tokens"), tooLong.getMessage());
  }

  private static int[] firsts(Documents d) {
    int[] out = new int[d.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = d.document(i)[0];
    }
    return out;
  }
}
