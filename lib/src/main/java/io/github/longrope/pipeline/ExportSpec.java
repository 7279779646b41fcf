package io.github.longrope.pipeline;

import java.util.Locale;

/**
 * Stage 5: the exported HF directory.
 *
 * @param dtype weight dtype, {@code f32} (default: the export then reproduces the in-memory
 *     extended model bit for bit) or {@code f16}
 * @param maxPositionEmbeddings {@code max_position_embeddings} of the export (null: the relative
 *     search's target length, the extended context)
 */
public record ExportSpec(String dtype, Integer maxPositionEmbeddings) {
  public ExportSpec {
    dtype = dtype == null ? "f32" : dtype.toLowerCase(Locale.ROOT);
  }

  void validate() {
    PipelineConfig.require(
        dtype.equals("f32") || dtype.equals("f16"),
        "export.dtype",
        "must be f32 or f16, got '" + dtype + "'");
    PipelineConfig.require(
        maxPositionEmbeddings == null || maxPositionEmbeddings >= 1,
        "export.max_position_embeddings",
        "must be >= 1");
  }
}
