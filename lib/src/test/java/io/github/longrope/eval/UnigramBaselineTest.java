package io.github.longrope.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.longrope.data.InMemoryDocuments;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnigramBaselineTest {
  @Test
  void laplaceSmoothedCountsScoredOnAllButTheFirstToken() {
    // train: token 0 ×3, token 1 ×1, vocab 4 → p = (c+1)/(4+4): 4/8, 2/8, 1/8, 1/8
    UnigramBaseline u =
        UnigramBaseline.fit(new InMemoryDocuments(List.of(new int[] {0, 0}, new int[] {0, 1})), 4);
    assertEquals(Math.log(0.5), u.logProb(0), 1e-12);
    assertEquals(Math.log(0.125), u.logProb(3), 1e-12);
    // eval doc [3, 1, 2]: the first token is the context, then p(1) = 1/4 and p(2) = 1/8
    double expected = Math.exp(-(Math.log(0.25) + Math.log(0.125)) / 2);
    assertEquals(
        expected, u.perplexity(new InMemoryDocuments(List.of(new int[] {3, 1, 2}))), 1e-12);
  }

  @Test
  void outOfVocabularyIdsAreNamed() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> UnigramBaseline.fit(new InMemoryDocuments(List.of(new int[] {0, 9})), 4));
    assertEquals("token id 9 in training document 0 is outside [0, 4)", e.getMessage());
  }
}
