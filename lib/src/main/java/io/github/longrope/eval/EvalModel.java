package io.github.longrope.eval;

import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.Placement;
import io.github.longrope.model.Precision;
import java.nio.file.Path;

/**
 * A model directory as an evaluation runs it: the weights of {@code dir} under {@code config} (the
 * directory's own, or one with a RoPE override), the query rows per attention chunk, and the label
 * its rows carry in a table. Kept as a value rather than a loaded decoder so that an evaluation can
 * load each model only when a cell needs it, once for all the settings that share it.
 *
 * @param label the {@code model} column of the rows (e.g. {@code base}, {@code finetuned})
 * @param dir HF model directory
 * @param config the config the decoder is built for
 * @param attentionChunk query rows per attention chunk
 * @param precision compute dtype
 * @param placement device
 */
public record EvalModel(
    String label,
    Path dir,
    ModelConfig config,
    int attentionChunk,
    Precision precision,
    Placement placement) {

  /** In f32 on the default device. */
  public EvalModel(String label, Path dir, ModelConfig config, int attentionChunk) {
    this(label, dir, config, attentionChunk, Precision.F32, Placement.AUTO);
  }

  /** The directory under its own config, labelled with its folder name. */
  public static EvalModel of(Path dir) {
    return of(dir, HfModelConfig.read(dir).config());
  }

  /** The directory under {@code config}, labelled with its folder name. */
  public static EvalModel of(Path dir, ModelConfig config) {
    return new EvalModel(
        String.valueOf(dir.getFileName()), dir, config, Decoder.DEFAULT_ATTENTION_CHUNK);
  }

  /** Loads the weights; the caller closes the decoder. */
  public Decoder load() {
    return HfModel.load(dir, config, precision, placement).withAttentionChunk(attentionChunk);
  }
}
