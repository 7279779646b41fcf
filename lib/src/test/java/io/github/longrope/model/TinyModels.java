package io.github.longrope.model;

import io.github.longrope.rope.NoScaling;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.rope.RopeScaling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded random tiny decoders held in memory (the llama2.c-style fixture of the design notes). */
final class TinyModels {
  private TinyModels() {}

  static ModelConfig llama(RopeScaling scaling, int originalLength) {
    return ModelConfig.builder()
        .shape(50, 32, 48, 2)
        .heads(4, 2, 8)
        .maxPositionEmbeddings(originalLength)
        .rope(new RopeGeometry(8, 10000))
        .ropeScaling(scaling)
        .bosTokenId(1)
        .eosTokenIds(List.of(2))
        .build();
  }

  static ModelConfig llama() {
    return llama(new NoScaling(), 64);
  }

  /** HF-named tensors for a config, normal(0, 0.2) matrices and 1 ± 0.1 norms. */
  static MapWeights weights(ModelConfig c, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    MapWeights w = new MapWeights();
    int h = c.hiddenSize();
    int q = c.numHeads() * c.headDim();
    int kv = c.numKvHeads() * c.headDim();
    w.put("model.embed_tokens.weight", r, 0.5, c.vocabSize(), h);
    w.norm("model.norm.weight", r, h);
    if (!c.tieWordEmbeddings()) {
      w.put("lm_head.weight", r, 0.2, c.vocabSize(), h);
    }
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      w.norm(p + "input_layernorm.weight", r, h);
      w.norm(p + "post_attention_layernorm.weight", r, h);
      if (c.fused()) {
        w.put(p + "self_attn.qkv_proj.weight", r, 0.2, q + 2 * kv, h);
        w.put(p + "mlp.gate_up_proj.weight", r, 0.2, 2 * c.intermediateSize(), h);
      } else {
        w.put(p + "self_attn.q_proj.weight", r, 0.2, q, h);
        w.put(p + "self_attn.k_proj.weight", r, 0.2, kv, h);
        w.put(p + "self_attn.v_proj.weight", r, 0.2, kv, h);
        w.put(p + "mlp.gate_proj.weight", r, 0.2, c.intermediateSize(), h);
        w.put(p + "mlp.up_proj.weight", r, 0.2, c.intermediateSize(), h);
      }
      if (c.qkvBias()) {
        w.put(p + "self_attn.q_proj.bias", r, 0.1, q);
        w.put(p + "self_attn.k_proj.bias", r, 0.1, kv);
        w.put(p + "self_attn.v_proj.bias", r, 0.1, kv);
      }
      w.put(p + "self_attn.o_proj.weight", r, 0.2, h, q);
      w.put(p + "mlp.down_proj.weight", r, 0.2, h, c.intermediateSize());
    }
    return w;
  }

  static int[] randomIds(ModelConfig c, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = r.nextInt(c.vocabSize());
    }
    return ids;
  }

  /** An in-memory weight source. */
  static final class MapWeights implements WeightSource {
    final Map<String, long[]> shapes = new LinkedHashMap<>();
    final Map<String, float[]> data = new LinkedHashMap<>();

    void put(String name, SplittableRandom r, double std, long... shape) {
      long n = 1;
      for (long s : shape) {
        n *= s;
      }
      float[] v = new float[(int) n];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (r.nextGaussian() * std);
      }
      shapes.put(name, shape);
      data.put(name, v);
    }

    void norm(String name, SplittableRandom r, int size) {
      float[] v = new float[size];
      for (int i = 0; i < size; i++) {
        v[i] = (float) (1 + 0.1 * r.nextGaussian());
      }
      shapes.put(name, new long[] {size});
      data.put(name, v);
    }

    @Override
    public List<String> names() {
      return new ArrayList<>(shapes.keySet());
    }

    @Override
    public long[] shape(String name) {
      return shapes.get(name).clone();
    }

    @Override
    public float[] floats(String name) {
      return data.get(name).clone();
    }

    @Override
    public String describe(String name) {
      return "memory";
    }
  }
}
