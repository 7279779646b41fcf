package io.github.longrope.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Stage 5: the exported HF directory.
 *
 * @param dtype weight dtype, {@code f32} (default: the export then reproduces the in-memory
 *     extended model bit for bit) or {@code f16}
 * @param maxPositionEmbeddings {@code max_position_embeddings} of the export (null: the relative
 *     search's target length, the extended context)
 * @param dir where the HF directory goes, relative to the run folder (null: {@code model/} in the
 *     stage folder); a flat layout puts it next to the tables ({@code export})
 * @param shortFactors without {@code search_short}: {@code original} (null, the default: all ones,
 *     the original RoPE up to L, as LongRoPE2 keeps it) or {@code search} (stage 1's record as it
 *     is, short factors equal to the long ones: the quickstart's export of a search without
 *     fine-tuning)
 */
public record ExportSpec(
    String dtype,
    Integer maxPositionEmbeddings,
    @JsonInclude(JsonInclude.Include.NON_NULL) String dir,
    @JsonInclude(JsonInclude.Include.NON_NULL) String shortFactors) {

  /** The {@code short_factors} values. */
  static final List<String> SHORT_FACTORS = List.of("original", "search");

  public ExportSpec {
    dtype = dtype == null ? "f32" : dtype.toLowerCase(Locale.ROOT);
  }

  /** Whether the export keeps stage 1's short factors (not the original RoPE's ones). */
  boolean searchedShortFactors() {
    return "search".equals(shortFactors);
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
    PipelineConfig.require(
        shortFactors == null || SHORT_FACTORS.contains(shortFactors),
        "export.short_factors",
        "must be original or search, got '" + shortFactors + "'");
    if (dir != null) {
      PipelineConfig.requireInside(dir, "export.dir");
    }
  }

  /** The same spec with {@code max_position_embeddings} set. */
  ExportSpec withMaxPositionEmbeddings(int max) {
    return new ExportSpec(dtype, max, dir, shortFactors);
  }

  /** The HF directory of a run whose export stage folder is {@code stageDir}. */
  Path model(Path run, Path stageDir) {
    return dir == null ? stageDir.resolve("model") : run.resolve(dir);
  }
}
