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

  /**
   * The same model with another RoPE scaling; the original length becomes the scaling's own L when
   * it carries one (YaRN, llama3, dynamic, LongRoPE), else stays this model's.
   */
  public ModelConfig withRope(RopeScaling scaling) {
    return withRope(scaling, scaling.originalLengthOr(originalLength));
  }

  /** The same model with another RoPE scaling and original length. */
  public ModelConfig withRope(RopeScaling scaling, int original) {
    return toBuilder().ropeScaling(scaling).originalLength(original).build();
  }

  /** The same model with another BOS id (-1 = none). */
  public ModelConfig withBosTokenId(int bos) {
    return toBuilder().bosTokenId(bos).build();
  }

  /** The same model with another sliding window (0 = none). */
  public ModelConfig withSlidingWindow(int window) {
    return toBuilder().slidingWindow(window).build();
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.modelType = modelType;
    b.vocabSize = vocabSize;
    b.hiddenSize = hiddenSize;
    b.intermediateSize = intermediateSize;
    b.numLayers = numLayers;
    b.numHeads = numHeads;
    b.numKvHeads = numKvHeads;
    b.headDim = headDim;
    b.rmsNormEps = rmsNormEps;
    b.tieWordEmbeddings = tieWordEmbeddings;
    b.slidingWindow = slidingWindow;
    b.qkvBias = qkvBias;
    b.fused = fused;
    b.maxPositionEmbeddings = maxPositionEmbeddings;
    b.originalLength = originalLength;
    b.rope = rope;
    b.ropeScaling = ropeScaling;
    b.bosTokenId = bosTokenId;
    b.eosTokenIds = eosTokenIds;
    return b;
  }

  /**
   * A LLaMA config to fill in: {@code rms_norm_eps} 1e-5, no window, no biases, unfused tensors,
   * tied embeddings, no RoPE scaling, no BOS/EOS. {@link #build} validates.
   */
  public static Builder builder() {
    Builder b = new Builder();
    b.modelType = "llama";
    b.rmsNormEps = 1e-5;
    b.tieWordEmbeddings = true;
    b.ropeScaling = new io.github.longrope.rope.NoScaling();
    b.bosTokenId = -1;
    b.eosTokenIds = List.of();
    return b;
  }

  /** Fluent construction of a {@link ModelConfig}; the record's constructor validates. */
  public static final class Builder {
    private String modelType;
    private int vocabSize;
    private int hiddenSize;
    private int intermediateSize;
    private int numLayers;
    private int numHeads;
    private int numKvHeads;
    private int headDim;
    private double rmsNormEps;
    private boolean tieWordEmbeddings;
    private int slidingWindow;
    private boolean qkvBias;
    private boolean fused;
    private int maxPositionEmbeddings;
    private int originalLength;
    private RopeGeometry rope;
    private RopeScaling ropeScaling;
    private int bosTokenId;
    private List<Integer> eosTokenIds;

    private Builder() {}

    public Builder modelType(String v) {
      modelType = v;
      return this;
    }

    /** Vocabulary, hidden size, MLP size and layer count. */
    public Builder shape(int vocab, int hidden, int intermediate, int layers) {
      vocabSize = vocab;
      hiddenSize = hidden;
      intermediateSize = intermediate;
      numLayers = layers;
      return this;
    }

    /** Query heads, KV heads and head dimension. */
    public Builder heads(int heads, int kvHeads, int dim) {
      numHeads = heads;
      numKvHeads = kvHeads;
      headDim = dim;
      return this;
    }

    public Builder rmsNormEps(double v) {
      rmsNormEps = v;
      return this;
    }

    public Builder tieWordEmbeddings(boolean v) {
      tieWordEmbeddings = v;
      return this;
    }

    public Builder slidingWindow(int v) {
      slidingWindow = v;
      return this;
    }

    public Builder qkvBias(boolean v) {
      qkvBias = v;
      return this;
    }

    public Builder fused(boolean v) {
      fused = v;
      return this;
    }

    /** {@code max_position_embeddings}; also the original length unless set afterwards. */
    public Builder maxPositionEmbeddings(int v) {
      maxPositionEmbeddings = v;
      originalLength = v;
      return this;
    }

    public Builder originalLength(int v) {
      originalLength = v;
      return this;
    }

    public Builder rope(RopeGeometry v) {
      rope = v;
      return this;
    }

    public Builder ropeScaling(RopeScaling v) {
      ropeScaling = v;
      return this;
    }

    public Builder bosTokenId(int v) {
      bosTokenId = v;
      return this;
    }

    public Builder eosTokenIds(List<Integer> v) {
      eosTokenIds = v;
      return this;
    }

    public ModelConfig build() {
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
          bosTokenId,
          eosTokenIds);
    }
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
