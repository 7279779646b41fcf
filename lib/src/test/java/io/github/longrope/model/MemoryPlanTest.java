package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.io.HfModelConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The memory plan's arithmetic (no natives): {@code bench memory} checks it against RSS. */
class MemoryPlanTest {
  static final ModelConfig LLAMA3_8B =
      HfModelConfig.read(Path.of("../configs/examples/llama-3-8b")).config();

  @Test
  void weightsAreTheParameterCountTimesTheDtypeSize() {
    ModelConfig bundled = HfModelConfig.read(Path.of("../models/bundled")).config();
    assertEquals(12_545_280L * 4, MemoryPlan.of(bundled, 16, Precision.F32, 512, false).weights());
    // LLaMA-3-8B: 8,030,261,248 parameters (untied 128256-row embedding and head)
    assertEquals(
        8_030_261_248L * 2, MemoryPlan.of(LLAMA3_8B, 1, Precision.F16, 512, false).weights());
  }

  @Test
  void halfPrecisionHalvesWeightsAndKv() {
    MemoryPlan f32 = MemoryPlan.of(LLAMA3_8B, 16384, Precision.F32, 512, true);
    MemoryPlan f16 = MemoryPlan.of(LLAMA3_8B, 16384, Precision.F16, 512, true);
    assertEquals(f32.weights(), 2 * f16.weights());
    assertEquals(f32.kv(), 2 * f16.kv());
    // a KV cache of every layer: 32 layers × K and V × 8 heads × 128 dims × 2 bytes per token
    assertEquals(16384L * 32 * 2 * 8 * 128 * 2, f16.kv());
    assertTrue(f16.total() < 0.55 * f32.total(), f16.total() + " vs " + f32.total());
  }

  @Test
  void theLargestLengthFitsAndOneMoreDoesNot() {
    long memory = 80L << 30;
    for (Precision p : Precision.values()) {
      int n = MemoryPlan.largestLength(LLAMA3_8B, p, 512, false, memory);
      assertTrue(n > 0, p + "");
      assertTrue(MemoryPlan.of(LLAMA3_8B, n, p, 512, false).fits(memory));
      assertFalse(MemoryPlan.of(LLAMA3_8B, n + 1, p, 512, false).fits(memory));
    }
    // the weights alone (32 GB in f32) do not fit in 16 GiB
    assertEquals(0, MemoryPlan.largestLength(LLAMA3_8B, Precision.F32, 512, false, 16L << 30));
    String why = MemoryPlan.of(LLAMA3_8B, 131072, Precision.F32, 512, false).refusal(16L << 30);
    assertTrue(why.contains("131072 tokens in f32") && why.contains("weights alone"), why);
  }

  @Test
  void totalGrowsWithLengthAndChunkScoresStayBounded() {
    MemoryPlan a = MemoryPlan.of(LLAMA3_8B, 8192, Precision.F16, 512, false);
    MemoryPlan b = MemoryPlan.of(LLAMA3_8B, 32768, Precision.F16, 512, false);
    assertTrue(b.total() > a.total());
    // the ~16 MB score budget needs fewer than 32 rows here, so chunks stay at the 32-row floor:
    // 32 heads × 32 rows × 32768 keys × (f16 product + fp32 copy + fp32 softmax + f16 cast)
    assertEquals(32, b.chunkRows());
    assertTrue(b.attentionScores() >= 32L * 32 * 32768 * 12, "" + b.attentionScores());
    assertEquals(128, MemoryPlan.of(LLAMA3_8B, 128, Precision.F16, 512, false).chunkRows());
    assertThrows(
        IllegalArgumentException.class,
        () -> MemoryPlan.of(LLAMA3_8B, 0, Precision.F16, 512, false));
  }

  @Test
  void memorySizesParseWithBinaryAndDecimalUnits() {
    assertEquals(80L << 30, MemoryPlan.parseBytes("80GiB"));
    assertEquals(80L << 30, MemoryPlan.parseBytes("80G"));
    assertEquals(80_000_000_000L, MemoryPlan.parseBytes("80GB"));
    assertEquals(512L << 20, MemoryPlan.parseBytes("512MiB"));
    assertEquals(1024, MemoryPlan.parseBytes("1024"));
    assertThrows(IllegalArgumentException.class, () -> MemoryPlan.parseBytes("80 parsecs"));
    assertThrows(IllegalArgumentException.class, () -> MemoryPlan.parseBytes("lots"));
    assertEquals("1.5 GiB", MemoryPlan.bytes(3L << 29));
  }
}
