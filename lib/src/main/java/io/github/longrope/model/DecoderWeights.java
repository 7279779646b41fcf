package io.github.longrope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads and checks a decoder's tensors by their Hugging Face names. Every tensor the config needs
 * must exist with exactly the shape the config implies, and every tensor in the source must be used
 * (except stale {@code rotary_emb.inv_freq} buffers, which RoPE recomputes): a mismatch is a {@link
 * IllegalArgumentException} naming the file, the tensor and the config keys involved.
 */
record DecoderWeights(NDArray embed, NDArray finalNorm, NDArray lmHead, LayerWeights[] layers) {

  static DecoderWeights load(ModelConfig c, WeightSource src, NDManager m) {
    Loader l = new Loader(c, src, m);
    int h = c.hiddenSize();
    int qDim = c.numHeads() * c.headDim();
    int kvDim = c.numKvHeads() * c.headDim();
    int ffn = c.intermediateSize();
    NDArray embed =
        l.matrix("model.embed_tokens.weight", c.vocabSize(), h, "vocab_size × hidden_size");
    NDArray norm = l.vector("model.norm.weight", h);
    NDArray lmHead =
        c.tieWordEmbeddings()
            ? embed.transpose()
            : l.matrix("lm_head.weight", c.vocabSize(), h, "vocab_size × hidden_size").transpose();
    LayerWeights[] layers = new LayerWeights[c.numLayers()];
    for (int i = 0; i < layers.length; i++) {
      String p = "model.layers." + i + ".";
      NDArray wq;
      NDArray wk;
      NDArray wv;
      NDArray wGate;
      NDArray wUp;
      if (c.fused()) {
        NDArray qkv =
            l.matrix(
                p + "self_attn.qkv_proj.weight",
                qDim + 2 * kvDim,
                h,
                "(heads + 2·kv_heads)·head_dim × hidden");
        wq = qkv.get("0:" + qDim).transpose();
        wk = qkv.get(qDim + ":" + (qDim + kvDim)).transpose();
        wv = qkv.get((qDim + kvDim) + ":").transpose();
        NDArray gateUp =
            l.matrix(p + "mlp.gate_up_proj.weight", 2 * ffn, h, "2·intermediate × hidden");
        wGate = gateUp.get("0:" + ffn).transpose();
        wUp = gateUp.get(ffn + ":").transpose();
      } else {
        wq =
            l.matrix(p + "self_attn.q_proj.weight", qDim, h, "heads·head_dim × hidden").transpose();
        wk =
            l.matrix(p + "self_attn.k_proj.weight", kvDim, h, "kv_heads·head_dim × hidden")
                .transpose();
        wv =
            l.matrix(p + "self_attn.v_proj.weight", kvDim, h, "kv_heads·head_dim × hidden")
                .transpose();
        wGate = l.matrix(p + "mlp.gate_proj.weight", ffn, h, "intermediate × hidden").transpose();
        wUp = l.matrix(p + "mlp.up_proj.weight", ffn, h, "intermediate × hidden").transpose();
      }
      layers[i] =
          new LayerWeights(
              l.vector(p + "input_layernorm.weight", h),
              l.vector(p + "post_attention_layernorm.weight", h),
              wq,
              wk,
              wv,
              c.qkvBias() ? l.vector(p + "self_attn.q_proj.bias", qDim) : null,
              c.qkvBias() ? l.vector(p + "self_attn.k_proj.bias", kvDim) : null,
              c.qkvBias() ? l.vector(p + "self_attn.v_proj.bias", kvDim) : null,
              l.matrix(p + "self_attn.o_proj.weight", h, qDim, "hidden × heads·head_dim")
                  .transpose(),
              wGate,
              wUp,
              l.matrix(p + "mlp.down_proj.weight", h, ffn, "hidden × intermediate").transpose());
    }
    l.requireAllUsed();
    return new DecoderWeights(embed, norm, lmHead, layers);
  }

  /** Reads tensors, checks shapes, and remembers what was used. */
  private static final class Loader {
    private final ModelConfig config;
    private final WeightSource src;
    private final NDManager manager;
    private final Set<String> used = new HashSet<>();
    private final Set<String> available;

    Loader(ModelConfig config, WeightSource src, NDManager manager) {
      this.config = config;
      this.src = src;
      this.manager = manager;
      this.available = new HashSet<>(src.names());
    }

    NDArray matrix(String name, long rows, long cols, String meaning) {
      return load(name, new long[] {rows, cols}, meaning);
    }

    NDArray vector(String name, long size) {
      return load(name, new long[] {size}, "hidden or projection size");
    }

    private NDArray load(String name, long[] expected, String meaning) {
      if (!available.contains(name)) {
        throw new IllegalArgumentException(
            "checkpoint has no tensor '"
                + name
                + "', which a "
                + config.modelType()
                + " model with this config.json needs"
                + hint(name));
      }
      long[] shape = src.shape(name);
      if (!Arrays.equals(shape, expected)) {
        throw new IllegalArgumentException(
            src.describe(name)
                + ": tensor '"
                + name
                + "' has shape "
                + Arrays.toString(shape)
                + " but config.json implies "
                + Arrays.toString(expected)
                + " ("
                + meaning
                + ")");
      }
      used.add(name);
      return manager.create(src.floats(name), new Shape(shape));
    }

    private String hint(String name) {
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

    void requireAllUsed() {
      List<String> unknown = new ArrayList<>();
      for (String n : src.names()) {
        if (!used.contains(n) && !n.endsWith("rotary_emb.inv_freq")) {
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
                + config.modelType()
                + " model with this config.json does not use, e.g. '"
                + unknown.get(0)
                + "' (wrong model_type, tie_word_embeddings or num_hidden_layers?)");
      }
    }
  }
}
