package io.github.longrope.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.longrope.eval.PerplexityWindows.Window;
import java.util.List;
import org.junit.jupiter.api.Test;

/** T14. */
class PerplexityWindowsTest {
  @Test
  void t14StrideEqualToWindow() {
    assertEquals(
        List.of(
            new Window(0, 256, 256),
            new Window(256, 512, 256),
            new Window(512, 768, 256),
            new Window(768, 1000, 232)),
        PerplexityWindows.plan(1000, 257, 256, true, false));
  }

  @Test
  void t14OverlappingWindowsCappedAtTenStrides() {
    List<Window> w = PerplexityWindows.plan(1000, 300, 100, true, false);
    assertEquals(9, w.size());
    assertEquals(new Window(0, 299, 299), w.get(0));
    assertEquals(new Window(100, 399, 100), w.get(1));
    assertEquals(new Window(700, 999, 100), w.get(7));
    assertEquals(new Window(800, 1000, 1), w.get(8));
    int scored = w.stream().mapToInt(Window::scored).sum();
    assertEquals(1000, scored, "every token up to the cap is scored exactly once");
  }

  @Test
  void t14TruncateGivesOneWindowPerDocument() {
    assertEquals(
        List.of(new Window(0, 256, 256)), PerplexityWindows.plan(1000, 257, 256, true, true));
    assertEquals(
        List.of(new Window(0, 100, 100)), PerplexityWindows.plan(100, 257, 256, true, true));
    assertEquals(
        List.of(new Window(0, 257, 257)), PerplexityWindows.plan(1000, 257, 256, false, true));
  }

  @Test
  void capLimitsLongDocuments() {
    List<Window> w = PerplexityWindows.plan(1_000_000, 257, 256, true, false);
    assertEquals(10, w.size());
    assertEquals(2560, w.get(9).end());
  }

  @Test
  void perplexityIsExpOfMeanWindowLoss() {
    assertEquals(Math.exp(2.0), PerplexityWindows.perplexity(new double[] {1, 2, 3}), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> PerplexityWindows.perplexity(new double[0]));
    assertThrows(
        IllegalArgumentException.class, () -> PerplexityWindows.plan(10, 1, 5, true, false));
  }
}
