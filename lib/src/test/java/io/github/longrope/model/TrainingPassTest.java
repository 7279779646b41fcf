package io.github.longrope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeScaling;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gradients: checkpointed = plain, both = finite differences of the inference NLL. */
class TrainingPassTest {
  static Map<String, float[]> gradients(Decoder d) {
    Map<String, float[]> out = new HashMap<>();
    for (Map.Entry<String, NDArray> e : TrainingPass.parameters(d).entrySet()) {
      try (NDArray g = e.getValue().getGradient()) {
        out.put(e.getKey(), g.toFloatArray());
        g.subi(g);
      }
    }
    return out;
  }

  @Test
  void checkpointedGradientsEqualPlainOnesAndFiniteDifferences() {
    RopeScaling rope = LongRopeScaling.of(FactorTable.of(1, 1.5, 2, 4), 16, 4).withStartTokens(2);
    ModelConfig c = TinyModels.llama(rope, 16);
    int[] ids = TinyModels.randomIds(c, 24, 3);
    int[] pos = new int[24];
    for (int i = 0; i < 24; i++) {
      pos[i] = i < 12 ? i : i + 30; // PoSE-style skip
    }
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 2))) {
      TrainingPass.enable(m);
      double l1 = TrainingPass.backward(m, ids, pos, rope, 1f, false);
      Map<String, float[]> plain = gradients(m);
      double l2 = TrainingPass.backward(m, ids, pos, rope, 1f, true);
      Map<String, float[]> ckpt = gradients(m);
      assertEquals(l1, l2, 1e-6);
      for (String name : plain.keySet()) {
        assertTrue(
            DecoderTest.maxRelDiff(plain.get(name), ckpt.get(name)) < 1e-4,
            name + ": " + DecoderTest.maxRelDiff(plain.get(name), ckpt.get(name)));
      }
      // the loss equals the inference NLL at consecutive positions
      double l3 = TrainingPass.backward(m, ids, null, new NoScaling(), 1f, false);
      gradients(m);
      double[] nll = m.nll(ids, new NoScaling(), 0);
      assertEquals(Arrays.stream(nll).average().orElseThrow(), l3, 1e-5);

      // finite differences on a few weights of layer 1's MLP and the embedding
      TrainingPass.backward(m, ids, null, new NoScaling(), 1f, true);
      Map<String, float[]> g = gradients(m);
      for (String name :
          new String[] {"model.layers.1.mlp.down_proj.weight", "model.embed_tokens.weight"}) {
        NDArray p = TrainingPass.parameters(m).get(name);
        float[] values = p.toFloatArray();
        int best = largest(g.get(name));
        float eps = 1e-2f;
        double up = perturbed(m, p, values, best, eps, ids);
        double down = perturbed(m, p, values, best, -eps, ids);
        double numeric = (up - down) / (2 * eps);
        assertEquals(numeric, g.get(name)[best], 2e-2 * Math.abs(numeric) + 1e-4, name);
      }
    }
  }

  @Test
  void anAnswerOnlyLossScoresTheTailAndItsGradientsAreTheTailNllsOnes() {
    ModelConfig c = TinyModels.llama(new NoScaling(), 16);
    int[] ids = TinyModels.randomIds(c, 24, 5);
    int from = 17; // scores ids[18..23]: six answer tokens
    try (Decoder m = Decoder.load(c, TinyModels.weights(c, 4))) {
      TrainingPass.enable(m);
      double plainLoss = TrainingPass.backward(m, ids, null, new NoScaling(), 1f, false, from);
      Map<String, float[]> plain = gradients(m);
      double ckptLoss = TrainingPass.backward(m, ids, null, new NoScaling(), 1f, true, from);
      Map<String, float[]> ckpt = gradients(m);
      double[] nll = m.nll(ids, new NoScaling(), 0);
      double tail = Arrays.stream(nll, from, nll.length).average().orElseThrow();
      assertEquals(tail, plainLoss, 1e-5, "loss = mean inference NLL of the tail");
      assertEquals(plainLoss, ckptLoss, 1e-6);
      assertTrue(Math.abs(tail - Arrays.stream(nll).average().orElseThrow()) > 1e-3);
      for (String name : plain.keySet()) {
        assertTrue(
            DecoderTest.maxRelDiff(plain.get(name), ckpt.get(name)) < 1e-4,
            name + ": " + DecoderTest.maxRelDiff(plain.get(name), ckpt.get(name)));
      }
      // the early tokens reach the loss through attention only: a key projection's gradient is the
      // finite difference of the tail NLL
      String name = "model.layers.0.self_attn.k_proj.weight";
      NDArray p = TrainingPass.parameters(m).get(name);
      float[] values = p.toFloatArray();
      int best = largest(plain.get(name));
      float eps = 1e-2f;
      double up = perturbed(m, p, values, best, eps, ids, from);
      double down = perturbed(m, p, values, best, -eps, ids, from);
      double numeric = (up - down) / (2 * eps);
      assertTrue(Math.abs(numeric) > 1e-4, "a measurable gradient: " + numeric);
      assertEquals(numeric, plain.get(name)[best], 2e-2 * Math.abs(numeric) + 1e-4, name);

      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> TrainingPass.backward(m, ids, null, new NoScaling(), 1f, false, 23));
      assertTrue(e.getMessage().contains("lossFrom must be in [0, 22]"), e.getMessage());
    }
  }

  /** The index of the largest |g|: the weight whose finite difference is best resolved. */
  static int largest(float[] g) {
    int best = 0;
    for (int i = 1; i < g.length; i++) {
      if (Math.abs(g[i]) > Math.abs(g[best])) {
        best = i;
      }
    }
    return best;
  }

  static double perturbed(Decoder m, NDArray p, float[] values, int index, float eps, int[] ids) {
    return perturbed(m, p, values, index, eps, ids, 0);
  }

  static double perturbed(
      Decoder m, NDArray p, float[] values, int index, float eps, int[] ids, int from) {
    float[] v = values.clone();
    v[index] += eps;
    p.set(v);
    double[] nll = m.nll(ids, new NoScaling(), 0);
    double loss = Arrays.stream(nll, from, nll.length).average().orElseThrow();
    p.set(values);
    return loss;
  }
}
