package io.github.longrope.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.FormatException;
import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.search.SearchConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One search stage of the pipeline ({@code search_long}, {@code search_relative}, {@code
 * search_short}): the {@code longrope search} problem settings without the model (the pipeline
 * supplies the base, fine-tuned or extended model) and the hyper-parameters.
 *
 * <p>{@code search} is a {@link SearchConfig} object written inline, or the path of a {@code
 * configs/search/*.json} file; {@link PipelineConfig} replaces either by the resolved object, so a
 * run's {@code pipeline.json} records the exact budget and a resume compares contents, not paths.
 *
 * @param targetLength L′ of the fitness (required: the stage's whole point)
 * @param data token data of the fitness (null: the pipeline's {@code data.search})
 * @param samples documents (ppl) or needle items (5, the official setting)
 * @param minTokens skip shorter documents (null: the target length)
 * @param truncate one window of L′ − 1 tokens per document (official search setting)
 * @param splitDocuments cut documents into L′-token pieces before sampling (many samples from few
 *     long books; what a short-length search needs)
 * @param magnitude attention-scale policy (null: su for long, the model's own otherwise)
 * @param fitness {@code ppl} (official) or {@code needle}
 * @param search the hyper-parameters (null: the official defaults, which are far too many
 *     evaluations for a CPU)
 */
public record SearchStageSpec(
    Integer targetLength,
    String data,
    Integer samples,
    Integer minTokens,
    Boolean truncate,
    Boolean splitDocuments,
    String magnitude,
    String fitness,
    JsonNode search) {

  public SearchStageSpec {
    samples = samples == null ? 5 : samples;
    truncate = truncate == null || truncate;
    splitDocuments = splitDocuments != null && splitDocuments;
    fitness = fitness == null ? "ppl" : fitness.toLowerCase(Locale.ROOT);
  }

  /** Checks the values; {@code key} names the section in errors. */
  void validate(String key) {
    PipelineConfig.require(
        targetLength != null, key + ".target_length", "required: the search length L′");
    PipelineConfig.require(
        targetLength >= 2, key + ".target_length", "must be >= 2, got " + targetLength);
    PipelineConfig.require(samples >= 1, key + ".samples", "must be >= 1, got " + samples);
    PipelineConfig.require(
        minTokens == null || minTokens >= 0, key + ".min_tokens", "must be >= 0, got " + minTokens);
    PipelineConfig.require(
        List.of("ppl", "needle").contains(fitness),
        key + ".fitness",
        "must be ppl or needle, got '" + fitness + "'");
    if (magnitude != null) {
      try {
        MagnitudeScaling.parse(magnitude);
      } catch (IllegalArgumentException e) {
        PipelineConfig.require(false, key + ".magnitude", e.getMessage());
      }
    }
  }

  /**
   * The same stage with {@code search} resolved to a full {@link SearchConfig} object (a path is
   * read relative to the working directory; defaults are filled in).
   */
  SearchStageSpec resolved(String key) {
    SearchConfig c;
    try {
      if (search == null || search.isNull()) {
        c = SearchConfig.defaults("dim_mono");
      } else if (search.isTextual()) {
        c = SearchConfig.read(Path.of(search.textValue()));
      } else if (search.isObject()) {
        c = SearchConfig.parse(search.toString(), key + ".search");
      } else {
        throw new IllegalArgumentException("must be an object or the path of a search config");
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "pipeline config: key '" + key + ".search': " + e.getMessage(), e);
    }
    return new SearchStageSpec(
        targetLength,
        data,
        samples,
        minTokens,
        truncate,
        splitDocuments,
        magnitude,
        fitness,
        c.toJson());
  }

  /** The resolved hyper-parameters (after {@link #resolved}). */
  public SearchConfig searchConfig() {
    if (search == null || !search.isObject()) {
      throw new IllegalStateException("search settings not resolved");
    }
    try {
      return SearchConfig.parse(search.toString(), "search");
    } catch (FormatException e) {
      throw new IllegalStateException(e);
    }
  }
}
