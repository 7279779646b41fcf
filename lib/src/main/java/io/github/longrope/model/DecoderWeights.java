package io.github.longrope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder's parameters by their Hugging Face names, in HF layout ({@code [out, in]}), loaded and
 * checked: every tensor the config needs must exist with exactly the shape the config implies, and
 * every tensor in the source must be used (except stale {@code rotary_emb.inv_freq} buffers, which
 * RoPE recomputes). A mismatch is an {@link IllegalArgumentException} naming the file, the tensor
 * and the config keys involved.
 *
 * <p>The named arrays are the leaves training updates; the transposed and (for Phi-3) sliced views
 * a forward multiplies with are made per forward by {@link #layer} and {@link #lmHead}, inside the
 * caller's scope, so that gradients reach the leaves.
 */
final class DecoderWeights implements WeightSource {
  private final ModelConfig config;
  private final Map<String, NDArray> params;

  private DecoderWeights(ModelConfig config, Map<String, NDArray> params) {
    this.config = config;
    this.params = Collections.unmodifiableMap(params);
  }

  /** The leaves, by HF name. */
  Map<String, NDArray> parameters() {
    return params;
  }

  NDArray embed() {
    return params.get("model.embed_tokens.weight");
  }

  NDArray finalNorm() {
    return params.get("model.norm.weight");
  }

  /** {@code (hidden, vocab)}: the (tied) output matrix, transposed for {@code h.matMul}. */
  NDArray lmHead() {
    return (config.tieWordEmbeddings() ? embed() : params.get("lm_head.weight")).transpose();
  }

  /** Layer i's views, projection matrices as {@code [in, out]}. */
  LayerWeights layer(int i) {
    String p = "model.layers." + i + ".";
    int qDim = config.numHeads() * config.headDim();
    int kvDim = config.numKvHeads() * config.headDim();
    int ffn = config.intermediateSize();
    NDArray wq;
    NDArray wk;
    NDArray wv;
    NDArray wGate;
    NDArray wUp;
    if (config.fused()) {
      NDArray qkv = params.get(p + "self_attn.qkv_proj.weight");
      wq = qkv.get("0:" + qDim).transpose();
      wk = qkv.get(qDim + ":" + (qDim + kvDim)).transpose();
      wv = qkv.get((qDim + kvDim) + ":").transpose();
      NDArray gateUp = params.get(p + "mlp.gate_up_proj.weight");
      wGate = gateUp.get("0:" + ffn).transpose();
      wUp = gateUp.get(ffn + ":").transpose();
    } else {
      wq = params.get(p + "self_attn.q_proj.weight").transpose();
      wk = params.get(p + "self_attn.k_proj.weight").transpose();
      wv = params.get(p + "self_attn.v_proj.weight").transpose();
      wGate = params.get(p + "mlp.gate_proj.weight").transpose();
      wUp = params.get(p + "mlp.up_proj.weight").transpose();
    }
    return new LayerWeights(
        params.get(p + "input_layernorm.weight"),
        params.get(p + "post_attention_layernorm.weight"),
        wq,
        wk,
        wv,
        params.get(p + "self_attn.q_proj.bias"),
        params.get(p + "self_attn.k_proj.bias"),
        params.get(p + "self_attn.v_proj.bias"),
        params.get(p + "self_attn.o_proj.weight").transpose(),
        wGate,
        wUp,
        params.get(p + "mlp.down_proj.weight").transpose());
  }

  /** The expected HF tensors of a config: name → shape and what the shape means. */
  static Map<String, Expected> expected(ModelConfig c) {
    Map<String, Expected> e = new LinkedHashMap<>();
    long h = c.hiddenSize();
    long q = (long) c.numHeads() * c.headDim();
    long kv = (long) c.numKvHeads() * c.headDim();
    long ffn = c.intermediateSize();
    e.put("model.embed_tokens.weight", new Expected("vocab_size × hidden_size", c.vocabSize(), h));
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      e.put(p + "input_layernorm.weight", new Expected("hidden_size", h));
      if (c.fused()) {
        e.put(
            p + "self_attn.qkv_proj.weight",
            new Expected("(heads + 2·kv_heads)·head_dim × hidden", q + 2 * kv, h));
      } else {
        e.put(p + "self_attn.q_proj.weight", new Expected("heads·head_dim × hidden", q, h));
        e.put(p + "self_attn.k_proj.weight", new Expected("kv_heads·head_dim × hidden", kv, h));
        e.put(p + "self_attn.v_proj.weight", new Expected("kv_heads·head_dim × hidden", kv, h));
      }
      if (c.qkvBias()) {
        e.put(p + "self_attn.q_proj.bias", new Expected("heads·head_dim", q));
        e.put(p + "self_attn.k_proj.bias", new Expected("kv_heads·head_dim", kv));
        e.put(p + "self_attn.v_proj.bias", new Expected("kv_heads·head_dim", kv));
      }
      e.put(p + "self_attn.o_proj.weight", new Expected("hidden × heads·head_dim", h, q));
      e.put(p + "post_attention_layernorm.weight", new Expected("hidden_size", h));
      if (c.fused()) {
        e.put(p + "mlp.gate_up_proj.weight", new Expected("2·intermediate × hidden", 2 * ffn, h));
      } else {
        e.put(p + "mlp.gate_proj.weight", new Expected("intermediate × hidden", ffn, h));
        e.put(p + "mlp.up_proj.weight", new Expected("intermediate × hidden", ffn, h));
      }
      e.put(p + "mlp.down_proj.weight", new Expected("hidden × intermediate", h, ffn));
    }
    e.put("model.norm.weight", new Expected("hidden_size", h));
    if (!c.tieWordEmbeddings()) {
      e.put("lm_head.weight", new Expected("vocab_size × hidden_size", c.vocabSize(), h));
    }
    return e;
  }

  /** A tensor's required shape and what it is made of. */
  record Expected(String meaning, long... shape) {}

  static DecoderWeights load(ModelConfig c, WeightSource src, NDManager m) {
    return load(c, src, m, Precision.F32);
  }

  /**
   * Checks {@code src} against the config, then stores every tensor in {@code precision}. In f16 a
   * value beyond ±65504 (possible in a bf16 checkpoint, whose range is fp32's) is refused with the
   * tensor and the value named rather than silently becoming infinity; values below f16's smallest
   * subnormal (6e-8) round to zero, as in any fp16 cast.
   */
  static DecoderWeights load(ModelConfig c, WeightSource src, NDManager m, Precision precision) {
    Map<String, Expected> expected = expected(c);
    List<String> available = src.names();
    for (Map.Entry<String, Expected> e : expected.entrySet()) {
      String name = e.getKey();
      if (!available.contains(name)) {
        throw new IllegalArgumentException(
            "checkpoint has no tensor '"
                + name
                + "', which a "
                + c.modelType()
                + " model with this config.json needs"
                + hint(name, available));
      }
      long[] shape = src.shape(name);
      if (!Arrays.equals(shape, e.getValue().shape())) {
        throw new IllegalArgumentException(
            src.describe(name)
                + ": tensor '"
                + name
                + "' has shape "
                + Arrays.toString(shape)
                + " but config.json implies "
                + Arrays.toString(e.getValue().shape())
                + " ("
                + e.getValue().meaning()
                + ")");
      }
    }
    List<String> unknown = new ArrayList<>();
    for (String n : available) {
      if (!expected.containsKey(n) && !n.endsWith("rotary_emb.inv_freq")) {
        unknown.add(n);
      }
    }
    if (!unknown.isEmpty()) {
      unknown.sort(null);
      throw new IllegalArgumentException(
          src.describe(unknown.get(0))
              + ": "
              + unknown.size()
              + " tensor(s) that a "
              + c.modelType()
              + " model with this config.json does not use, e.g. '"
              + unknown.get(0)
              + "' (wrong model_type, tie_word_embeddings or num_hidden_layers?)");
    }
    Map<String, NDArray> params = new LinkedHashMap<>();
    for (Map.Entry<String, Expected> e : expected.entrySet()) {
      float[] values = src.floats(e.getKey());
      if (precision == Precision.F16) {
        checkHalfRange(src, e.getKey(), values);
      }
      Shape shape = new Shape(e.getValue().shape());
      NDArray a =
          precision == Precision.F16
              ? m.create(halfBits(values), shape, precision.dataType())
              : m.create(values, shape);
      a.setName(e.getKey());
      params.put(e.getKey(), a);
    }
    return new DecoderWeights(c, params);
  }

  /**
   * {@code values} as f16 bit patterns in a direct buffer (rounded to nearest, ties to even, as
   * torch's cast). DJL keeps the direct buffer it creates an array from as that array's memory, so
   * building f16 here rather than casting an fp32 array costs no fp32 staging copy that would stay
   * resident until a garbage collection: 2 bytes per weight during the load, not 6.
   */
  private static java.nio.ByteBuffer halfBits(float[] values) {
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocateDirect(values.length * 2)
            .order(java.nio.ByteOrder.nativeOrder());
    for (float v : values) {
      b.putShort(HalfFloats.floatToF16(v));
    }
    return b.rewind();
  }

  private static void checkHalfRange(WeightSource src, String name, float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (Math.abs(values[i]) > Precision.F16_MAX) {
        throw new IllegalArgumentException(
            src.describe(name)
                + ": tensor '"
                + name
                + "' holds "
                + values[i]
                + " (element "
                + i
                + "), beyond f16's largest value 65504, so it cannot be loaded in f16; load the"
                + " model in f32");
      }
    }
  }

  private static String hint(String name, List<String> available) {
    if (name.contains("qkv_proj") || name.contains("gate_up_proj")) {
      return " (fused Phi-3 layout); does model_type match the checkpoint?";
    }
    if (name.contains("q_proj") && available.stream().anyMatch(n -> n.contains("qkv_proj"))) {
      return "; the checkpoint uses fused qkv_proj tensors: is model_type 'phi3'?";
    }
    if (name.equals("lm_head.weight")) {
      return "; set tie_word_embeddings to true if the output layer shares the embedding";
    }
    return "";
  }

  // WeightSource over the live parameters: what HfModel.write saves after training.

  @Override
  public List<String> names() {
    return new ArrayList<>(params.keySet());
  }

  @Override
  public long[] shape(String name) {
    return params.get(name).getShape().getShape();
  }

  @Override
  public float[] floats(String name) {
    NDArray a = params.get(name);
    if (a.getDataType() == Precision.F32.dataType()) {
      return a.toFloatArray();
    }
    try (NDArray wide = a.toType(Precision.F32.dataType(), true)) {
      return wide.toFloatArray();
    }
  }

  @Override
  public String describe(String name) {
    return "decoder parameters";
  }
}
