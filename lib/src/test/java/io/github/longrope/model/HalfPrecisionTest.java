package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.io.Checkpoint;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.rope.RopeScaling;
import io.github.longrope.rope.YarnScaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * f16 against f32 arithmetic on the same (f16-representable) weights, over 4096 tokens: the mean
 * per-token |Δnll| and the difference of the mean NLL within 2e-3, perplexity within 0.5%, on
 * random checkpoints of every family (YaRN ×4 beyond their 1024) and on the bundled model (real
 * text, YaRN ×16 beyond its 256).
 */
class HalfPrecisionTest {
  static final double NLL_TOLERANCE = 2e-3;
  static final double PPL_TOLERANCE = 0.005;

  /** A random checkpoint of a family, bundled-like proportions, normal(0, 0.02) weights. */
  static ModelConfig family(String family) {
    ModelConfig.Builder b =
        ModelConfig.builder()
            .shape(2000, 128, 344, 3)
            .heads(4, 2, 32)
            .maxPositionEmbeddings(1024)
            .rope(new RopeGeometry(32, 10000));
    return switch (family) {
      case "llama" -> b.build();
      case "mistral" -> b.build().withSlidingWindow(700);
      case "qwen2" -> b.build().toBuilder().modelType("qwen2").qkvBias(true).build();
      case "phi3" ->
          b.build().toBuilder()
              .modelType("phi3")
              .fused(true)
              .rope(new RopeGeometry(16, 10000))
              .tieWordEmbeddings(false)
              .build();
      default -> throw new IllegalArgumentException(family);
    };
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"llama", "mistral", "qwen2", "phi3"})
  void randomCheckpointsAgreeWithF32(String name) {
    ModelConfig c = family(name);
    WeightSource w = withBiases(new RandomWeights(c, 11, 0.1));
    int[] ids = TinyModels.randomIds(c, 4096, 2);
    RopeScaling yarn = YarnScaling.of(4, 1024);
    compare(c, w, ids, yarn, name);
  }

  /**
   * {@link RandomWeights} sets biases to 0, which would make qwen2's bias path a no-op (and its
   * numbers llama's): here they are normal(0, 0.1), seeded by the tensor's name.
   */
  static WeightSource withBiases(RandomWeights w) {
    return mapped(
        w,
        (name, v) -> {
          if (name.endsWith(".bias")) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(name.hashCode());
            for (int i = 0; i < v.length; i++) {
              v[i] = (float) (r.nextGaussian() * 0.1);
            }
          }
        });
  }

  /** {@code w} with {@code change} applied to each tensor's values as they are read. */
  static WeightSource mapped(
      WeightSource w, java.util.function.BiConsumer<String, float[]> change) {
    return new WeightSource() {
      @Override
      public java.util.List<String> names() {
        return w.names();
      }

      @Override
      public long[] shape(String name) {
        return w.shape(name);
      }

      @Override
      public float[] floats(String name) {
        float[] v = w.floats(name);
        change.accept(name, v);
        return v;
      }

      @Override
      public String describe(String name) {
        return w.describe(name);
      }
    };
  }

  @Test
  void bundledModelAgreesWithF32OnText() throws IOException {
    Path dir = Path.of("../models/bundled");
    ModelConfig c = HfModelConfig.read(dir).config();
    int[] ids;
    try (HfTokenizer tok = HfTokenizer.load(dir)) {
      ids = tok.encode(Files.readString(Path.of("../docs/method.md")));
    }
    int length = 4096;
    assertTrue(ids.length >= length, "method.md gives " + ids.length + " tokens");
    int[] part = java.util.Arrays.copyOf(ids, length);
    RopeScaling yarn =
        YarnScaling.of((double) length / c.maxPositionEmbeddings(), c.maxPositionEmbeddings());
    try (Checkpoint weights = Checkpoint.open(dir)) {
      compare(c, weights, part, yarn, "bundled, 4096 tokens of docs/method.md, YaRN x16");
    }
  }

  /**
   * f16 against f32 arithmetic on the same weights: {@code w} rounded to f16 first, as a checkpoint
   * released in f16 or bf16 is (f16 holds every bf16 value within its range exactly, so loading
   * such a checkpoint in f16 loses nothing and only the arithmetic differs). What rounding fp32
   * weights to f16 costs on its own is printed beside it.
   */
  static void compare(ModelConfig c, WeightSource w, int[] ids, RopeScaling rope, String what) {
    WeightSource half = roundedToHalf(w);
    try (Decoder f32 = Decoder.load(c, half, Precision.F32, Placement.CPU);
        Decoder f16 = Decoder.load(c, half, Precision.F16, Placement.CPU)) {
      assertEquals(Precision.F16, f16.precision());
      assertEquals(Placement.CPU, f16.placement());
      double[] reference = f32.nll(ids, rope, 0);
      assertAgree(reference, f16.nll(ids, rope, 0), what);
      try (Decoder unrounded = Decoder.load(c, w, Precision.F32, Placement.CPU)) {
        report(unrounded.nll(ids, rope, 0), reference, what + ": fp32 weights vs f16-rounded");
      }
    }
  }

  /** {@code w} with every value rounded to the nearest binary16, read back as fp32. */
  static WeightSource roundedToHalf(WeightSource w) {
    return mapped(
        w,
        (name, v) -> {
          for (int i = 0; i < v.length; i++) {
            v[i] = HalfFloats.f16ToFloat(HalfFloats.floatToF16(v[i]));
          }
        });
  }

  /**
   * Two runs' per-token losses agree: the mean per-token |Δnll| and the difference of their means
   * (the log-perplexity) within 2e-3, perplexity within 0.5%. The largest single-token difference
   * is printed, not bounded.
   */
  static void assertAgree(double[] a, double[] b, String what) {
    double[] d = report(a, b, what);
    assertTrue(d[0] <= NLL_TOLERANCE, what + ": mean per-token |Δnll| " + d[0]);
    assertTrue(d[1] <= NLL_TOLERANCE, what + ": Δ mean nll " + d[1]);
    assertTrue(d[2] <= PPL_TOLERANCE, what + ": relative Δ perplexity " + d[2]);
  }

  /** Prints and returns {mean |Δnll|, |Δ mean nll|, relative Δ perplexity}. */
  static double[] report(double[] a, double[] b, String what) {
    double worst = 0;
    double sumAbs = 0;
    double sumA = 0;
    double sumB = 0;
    for (int t = 0; t < a.length; t++) {
      double d = Math.abs(a[t] - b[t]);
      worst = Math.max(worst, d);
      sumAbs += d;
      sumA += a[t];
      sumB += b[t];
    }
    double meanAbs = sumAbs / a.length;
    double meanDiff = Math.abs(sumA - sumB) / a.length;
    double pplA = Math.exp(sumA / a.length);
    double pplB = Math.exp(sumB / b.length);
    double relPpl = Math.abs(pplB / pplA - 1);
    System.out.printf(
        java.util.Locale.ROOT,
        "%s: mean |Δnll| %.2e, max %.2e, Δ mean nll %.2e, ppl %.4f vs %.4f (%.4f%%)%n",
        what,
        meanAbs,
        worst,
        meanDiff,
        pplA,
        pplB,
        100 * relPpl);
    return new double[] {meanAbs, meanDiff, relPpl};
  }

  @Test
  void aWeightBeyondHalfRangeIsRefusedByName() {
    ModelConfig c = TinyModels.llama();
    TinyModels.MapWeights w = TinyModels.weights(c, 1);
    String name = "model.layers.1.mlp.up_proj.weight";
    w.data.get(name)[5] = 1e5f; // a bf16 checkpoint can hold it, f16 cannot
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Decoder.load(c, w, Precision.F16, Placement.CPU).close());
    assertTrue(e.getMessage().contains(name) && e.getMessage().contains("65504"), e.getMessage());
    try (Decoder ok = Decoder.load(c, w, Precision.F32, Placement.CPU)) {
      assertEquals(Precision.F32, ok.precision());
    }
  }

  @Test
  void weightsReadBackAsF32AndNothingLeaks() {
    ModelConfig c = TinyModels.llama();
    TinyModels.MapWeights w = TinyModels.weights(c, 4);
    try (Decoder m = Decoder.load(c, w, Precision.F16, Placement.CPU)) {
      String name = "model.layers.0.self_attn.q_proj.weight";
      float[] back = m.weights().floats(name);
      float[] orig = w.floats(name);
      for (int i = 0; i < orig.length; i++) {
        assertEquals(orig[i], back[i], Math.abs(orig[i]) * 1e-3 + 1e-7);
      }
      int[] ids = TinyModels.randomIds(c, 40, 1);
      int arrays = m.liveArrays();
      m.nll(ids, new NoScaling(), 0);
      m.generate(java.util.Arrays.copyOf(ids, 8), 4, new NoScaling(), KvCache.Policy.RECOMPUTE);
      assertEquals(arrays, m.liveArrays());
    }
  }

  @Test
  void aGenerationWidensTheOutputMatrixOnceAndStepsMatchAFullForward() {
    ModelConfig c = TinyModels.llama();
    int[] ids = TinyModels.randomIds(c, 24, 2);
    for (Precision p : Precision.values()) {
      try (Decoder m = Decoder.load(c, TinyModels.weights(c, 4), p, Placement.CPU)) {
        float[] full = m.logits(ids, new NoScaling());
        int vocab = c.vocabSize();
        try (KvCache cache = m.newCache(new NoScaling())) {
          m.step(cache, java.util.Arrays.copyOf(ids, ids.length - 1));
          float[] last = m.step(cache, new int[] {ids[ids.length - 1]});
          for (int v = 0; v < vocab; v++) {
            assertEquals(full[(ids.length - 1) * vocab + v], last[v], 2e-3, p + " logit " + v);
          }
          if (p == Precision.F16) {
            // the copy made on the first step is the one every later step uses
            ai.djl.ndarray.NDArray kept = cache.widenedHead(() -> null);
            assertTrue(kept != null && kept == cache.widenedHead(() -> null));
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, kept.getDataType());
          }
        }
        // closing the cache leaves the decoder's own weights intact (an fp32 head is not copied)
        assertEquals(full[5], m.logits(ids, new NoScaling())[5]);
      }
    }
  }

  @Test
  void aGpuWithoutCudaNativesIsAClearError() {
    List<String> names = List.of("gpu", "gpu:0", "gpu:3");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        ai.djl.engine.Engine.getInstance().getGpuCount() == 0, "a GPU is present");
    for (String n : names) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Placement.parse(n).resolve());
      assertTrue(e.getMessage().contains("CUDA"), e.getMessage());
    }
    assertEquals(Placement.CPU, Placement.AUTO.resolve());
    assertThrows(IllegalArgumentException.class, () -> Placement.parse("tpu"));
    assertThrows(IllegalArgumentException.class, () -> Precision.parse("bf16"));
    assertEquals(Precision.F16, Precision.parse("f16"));
  }
}
