package io.github.longrope.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.data.Documents;
import io.github.longrope.data.InMemoryDocuments;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Packs of short documents: bounded, BOS-led, every token once, a seeded and resumable order. */
class MixedBatchesTest {
  static Documents docs(int... lengths) {
    List<int[]> out = new ArrayList<>();
    int next = 10;
    for (int n : lengths) {
      int[] d = new int[n];
      for (int i = 0; i < n; i++) {
        d[i] = next++;
      }
      out.add(d);
    }
    return new InMemoryDocuments(out);
  }

  @Test
  void packsHoldPiecesOfAtMostTheShortLength() {
    Documents shortDocs = docs(5, 30, 1, 11, 12);
    List<List<MixedBatches.Piece>> packs = MixedBatches.pack(List.of(shortDocs), 12, 32, true);
    int tokens = 0;
    for (List<MixedBatches.Piece> p : packs) {
      int used = 0;
      for (MixedBatches.Piece piece : p) {
        assertTrue(piece.length() + 1 <= 12, piece.toString());
        used += piece.length() + 1;
        tokens += piece.length();
      }
      assertTrue(used <= 32);
    }
    // every text token once (a one-token document still predicts it from BOS)
    assertEquals(5 + 30 + 1 + 11 + 12, tokens);
    // without BOS a one-token document predicts nothing and is left out
    int noBos = 0;
    for (List<MixedBatches.Piece> p : MixedBatches.pack(List.of(shortDocs), 12, 32, false)) {
      for (MixedBatches.Piece piece : p) {
        noBos += piece.length();
      }
    }
    assertEquals(5 + 30 + 11 + 12, noBos);

    Batches longWindows = new Batches(List.of(docs(300, 200)), null, 0, 32, 1, 7);
    MixedBatches m = new MixedBatches(longWindows, List.of(shortDocs), 12, 32, 1, 0.25, 7);
    assertEquals(longWindows.size() + Math.round(longWindows.size() / 3.0), m.size());
    int packed = 0;
    Set<Long> seenLong = new HashSet<>();
    for (long i = 0; i < m.size(); i++) {
      MixedBatches.Item it = m.item(i);
      if (it.packed()) {
        packed++;
        assertTrue(it.ids().length <= 32);
        for (int s : it.starts()) {
          assertEquals(1, it.ids()[s], "each document starts with BOS");
        }
        assertEquals(0, it.lossFrom());
      } else {
        assertNull(it.starts());
        seenLong.add((long) it.ids()[1]);
      }
    }
    assertEquals(m.size() - longWindows.size(), packed);
    assertEquals(longWindows.size(), seenLong.size(), "every long window once per epoch");

    // the same index gives the same sequence in a fresh instance (resume)
    MixedBatches again = new MixedBatches(longWindows, List.of(shortDocs), 12, 32, 1, 0.25, 7);
    for (long i : new long[] {m.size() + 3, 2, 0, 5 * m.size() + 1}) {
      assertArrayEquals(m.item(i).ids(), again.item(i).ids(), "index " + i);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> new MixedBatches(longWindows, List.of(shortDocs), 40, 32, 1, 0.5, 7));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MixedBatches(longWindows, List.of(docs(1, 1)), 12, 32, -1, 0.5, 7));
  }
}
