package io.github.longrope.model;

import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.rope.RopeScaling;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The architecture of a LLaMA-family decoder. Families differ only by these values: Mistral adds a
 * sliding window, Qwen2 biases on q/k/v, Phi-3 fused {@code qkv_proj}/{@code gate_up_proj} tensors,
 * a partial rotary dimension and the {@code longrope} short/long factors.
 *
 * @param slidingWindow attention window in tokens (key j visible to query i iff i − j &lt; window),
 *     or 0 for full causal attention
 * @param fused Phi-3 tensor layout ({@code qkv_proj}, {@code gate_up_proj})
 * @param originalLength L, the length the RoPE scaling refers to
 * @param bosTokenId BOS id, or -1 when the model has none
 */
public record ModelConfig(
    String modelType,
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    double rmsNormEps,
    boolean tieWordEmbeddings,
    int slidingWindow,
    boolean qkvBias,
    boolean fused,
    int maxPositionEmbeddings,
    int originalLength,
    RopeGeometry rope,
    RopeScaling ropeScaling,
    int bosTokenId,
    List<Integer> eosTokenIds) {

  public ModelConfig {
    Objects.requireNonNull(modelType, "modelType");
    Objects.requireNonNull(rope, "rope");
    Objects.requireNonNull(ropeScaling, "ropeScaling");
    require(vocabSize > 0, "vocab_size must be > 0, got %d", vocabSize);
    require(hiddenSize > 0, "hidden_size must be > 0, got %d", hiddenSize);
    require(intermediateSize > 0, "intermediate_size must be > 0, got %d", intermediateSize);
    require(numLayers > 0, "num_hidden_layers must be > 0, got %d", numLayers);
    require(numHeads > 0, "num_attention_heads must be > 0, got %d", numHeads);
    require(
        numKvHeads > 0 && numHeads % numKvHeads == 0,
        "num_key_value_heads (%d) must divide num_attention_heads (%d)",
        numKvHeads,
        numHeads);
    require(headDim > 0 && headDim % 2 == 0, "head_dim must be even and > 0, got %d", headDim);
    require(
        rope.rotaryDim() <= headDim,
        "rotary dimension %d exceeds head_dim %d",
        rope.rotaryDim(),
        headDim);
    require(rmsNormEps > 0, "rms_norm_eps must be > 0, got %s", rmsNormEps);
    require(slidingWindow >= 0, "sliding_window must be >= 0, got %d", slidingWindow);
    require(
        ropeScaling.layers() == 1 || ropeScaling.layers() == numLayers,
        "per-layer RoPE factors have %d rows but the model has %d layers",
        ropeScaling.layers(),
        numLayers);
    eosTokenIds = eosTokenIds == null ? List.of() : List.copyOf(eosTokenIds);
  }

  private static void require(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, format, args));
    }
  }

  /** Query heads per KV head. */
  public int groupSize() {
    return numHeads / numKvHeads;
  }

  /** The same model with another RoPE scaling (original length follows the scaling's own). */
  public ModelConfig withRope(RopeScaling scaling, int original) {
    return new ModelConfig(
        modelType,
        vocabSize,
        hiddenSize,
        intermediateSize,
        numLayers,
        numHeads,
        numKvHeads,
        headDim,
        rmsNormEps,
        tieWordEmbeddings,
        slidingWindow,
        qkvBias,
        fused,
        maxPositionEmbeddings,
        original,
        rope,
        scaling,
        bosTokenId,
        eosTokenIds);
  }

  /** The same model with another BOS id (-1 = none). */
  public ModelConfig withBosTokenId(int bos) {
    return new ModelConfig(
        modelType,
        vocabSize,
        hiddenSize,
        intermediateSize,
        numLayers,
        numHeads,
        numKvHeads,
        headDim,
        rmsNormEps,
        tieWordEmbeddings,
        slidingWindow,
        qkvBias,
        fused,
        maxPositionEmbeddings,
        originalLength,
        rope,
        ropeScaling,
        bos,
        eosTokenIds);
  }

  /** The same model with another sliding window (0 = none). */
  public ModelConfig withSlidingWindow(int window) {
    return new ModelConfig(
        modelType,
        vocabSize,
        hiddenSize,
        intermediateSize,
        numLayers,
        numHeads,
        numKvHeads,
        headDim,
        rmsNormEps,
        tieWordEmbeddings,
        window,
        qkvBias,
        fused,
        maxPositionEmbeddings,
        originalLength,
        rope,
        ropeScaling,
        bosTokenId,
        eosTokenIds);
  }

  public boolean isEos(int token) {
    return eosTokenIds.contains(token);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "ModelConfig[%s, vocab=%d, hidden=%d, ffn=%d, layers=%d, heads=%d/%d, head_dim=%d,"
            + " rotary=%d, window=%d, rope=%s, L=%d]",
        modelType,
        vocabSize,
        hiddenSize,
        intermediateSize,
        numLayers,
        numHeads,
        numKvHeads,
        headDim,
        rope.rotaryDim(),
        slidingWindow,
        ropeScaling,
        originalLength);
  }
}
