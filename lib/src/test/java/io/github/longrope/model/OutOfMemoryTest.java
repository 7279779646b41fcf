package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.rope.NoScaling;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A forward whose plan cannot fit is refused before it allocates, with the plan's numbers; an
 * allocation failure is recognised and reported with the length and the chunk; the decoder stays
 * usable afterwards.
 */
class OutOfMemoryTest {
  @Test
  void aForwardBeyondAvailableMemoryIsRefusedWithThePlan() {
    ModelConfig c = TinyModels.llama();
    int n = 60_000_000;
    MemoryPlan plan = MemoryPlan.of(c, n, Precision.F32, Decoder.DEFAULT_ATTENTION_CHUNK, false);
    long available = MemoryBudget.available(Placement.CPU);
    Assumptions.assumeTrue(
        available >= 0 && plan.total() > 2 * available, "this machine could run it: " + available);
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 1), Precision.F32, Placement.CPU)) {
      int[] ids = new int[n];
      OutOfMemory e = assertThrows(OutOfMemory.class, () -> m.nll(ids, new NoScaling(), 0));
      assertTrue(
          e.getMessage().contains("refused before running")
              && e.getMessage().contains(n + " tokens in f32")
              && e.getMessage().contains("the longest length that fits is"),
          e.getMessage());
      // still usable: nothing was allocated
      assertEquals(15, m.nll(TinyModels.randomIds(c, 16, 1), new NoScaling(), 0).length);
    }
  }

  @Test
  void allocationFailuresAreRecognisedAndNamed() {
    assertTrue(OutOfMemory.isAllocationFailure(new OutOfMemoryError("Java heap space")));
    assertTrue(
        OutOfMemory.isAllocationFailure(
            new RuntimeException(
                "[enforce fail at alloc_cpu.cpp:114] data. DefaultCPUAllocator: not enough memory:"
                    + " you tried to allocate 4294967296 bytes.")));
    assertTrue(
        OutOfMemory.isAllocationFailure(
            new RuntimeException("CUDA out of memory. Tried to allocate 2.00 GiB")));
    assertTrue(!OutOfMemory.isAllocationFailure(new RuntimeException("shape mismatch")));
    OutOfMemory e =
        OutOfMemory.during(
            32768, 256, Precision.F32, Placement.CPU, new RuntimeException("not enough memory"));
    assertTrue(
        e.getMessage().contains("32768 tokens")
            && e.getMessage().contains("256 rows")
            && e.getMessage().contains("f16"),
        e.getMessage());
  }
}
