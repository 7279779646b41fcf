package io.github.longrope.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.Placement;
import io.github.longrope.model.Precision;
import io.github.longrope.rope.RopeScaling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A model directory with the RoPE scaling to evaluate it under (its own, or an override checked
 * against the model), as the single-model evaluations ({@link PasskeyJob}, {@link BoundaryJob},
 * {@link PerplexityJob}, {@code mc.McJob}) take it. Warnings from reading the config and the
 * override travel with it and end up in the report. In a report ({@code @JsonUnwrapped}) it is the
 * keys {@code model} (the directory), {@code rope_scaling} (the HF form of the scaling), {@code
 * dtype} and {@code device}.
 *
 * @param config the directory's config with {@code scaling} applied
 * @param attentionChunk query rows per attention chunk of the decoder
 */
public record ModelUnderTest(
    @JsonProperty("model") Path dir,
    @JsonIgnore ModelConfig config,
    @JsonIgnore RopeScaling scaling,
    @JsonIgnore int attentionChunk,
    @JsonIgnore List<String> warnings,
    @JsonIgnore Precision precision,
    @JsonIgnore Placement placement) {
  public ModelUnderTest {
    warnings = List.copyOf(warnings);
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(placement, "placement");
  }

  /** In f32 on the default device. */
  public ModelUnderTest(
      Path dir,
      ModelConfig config,
      RopeScaling scaling,
      int attentionChunk,
      List<String> warnings) {
    this(dir, config, scaling, attentionChunk, warnings, Precision.F32, Placement.AUTO);
  }

  /** The same model computed in {@code precision} on {@code placement}. */
  public ModelUnderTest on(Precision precision, Placement placement) {
    return new ModelUnderTest(dir, config, scaling, attentionChunk, warnings, precision, placement);
  }

  /** The compute dtype, as reports show it. */
  @JsonProperty("dtype")
  String dtypeKey() {
    return precision.key();
  }

  /** The device, as reports show it ({@code auto} until resolved). */
  @JsonProperty("device")
  String deviceName() {
    return placement.name();
  }

  /**
   * Reads {@code dir}'s config and applies {@code override} (given the checkpoint's config and a
   * list for its warnings), or keeps the checkpoint's own scaling when it is null.
   */
  public static ModelUnderTest read(Path dir, int attentionChunk, RopeOverride override) {
    HfModelConfig.Loaded loaded = HfModelConfig.read(dir);
    List<String> warnings = new ArrayList<>(loaded.warnings());
    ModelConfig config = loaded.config();
    RopeScaling scaling =
        override == null ? config.ropeScaling() : override.resolve(config, warnings);
    return new ModelUnderTest(dir, config.withRope(scaling), scaling, attentionChunk, warnings);
  }

  /** A RoPE scaling that replaces the checkpoint's. */
  @FunctionalInterface
  public interface RopeOverride {
    RopeScaling resolve(ModelConfig checkpoint, List<String> warnings);
  }

  /** The same model under another scaling (validated against the model again). */
  public ModelUnderTest withScaling(RopeScaling s, String warning) {
    List<String> w = new ArrayList<>(warnings);
    w.add(warning);
    return new ModelUnderTest(dir, config.withRope(s), s, attentionChunk, w, precision, placement);
  }

  @JsonProperty("rope_scaling")
  ObjectNode ropeScalingJson() {
    return HfRopeConfig.toJson(scaling);
  }

  /** L of the active scaling. */
  @JsonIgnore
  public int originalLength() {
    return scaling.originalLengthOr(config.originalLength());
  }

  /** Loads the decoder as this describes it: dtype, device and attention chunk. */
  public Decoder load() {
    return HfModel.load(dir, config, precision, placement).withAttentionChunk(attentionChunk);
  }

  /** Loads the decoder and the tokenizer and runs {@code body} on them. */
  public <R> R run(Function<Loaded, R> body) {
    try (HfTokenizer tokenizer = HfTokenizer.load(dir);
        Decoder decoder = load()) {
      return body.apply(new Loaded(decoder, TextCodec.of(tokenizer)));
    }
  }

  /** The decoder and the tokenizer as text in, tokens out. */
  public record Loaded(Decoder decoder, TextCodec codec) {}
}
