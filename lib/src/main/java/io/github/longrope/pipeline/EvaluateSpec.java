package io.github.longrope.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.longrope.eval.Baselines;
import io.github.longrope.rope.RopeNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The final perplexity table (official protocol): every method at every length.
 *
 * <p>Methods: the {@link Baselines} names ({@code none}, {@code pi}, {@code ntk}, {@code yarn}, …)
 * run on the BASE model, scaled for each row's length (s = length/L) unless {@code target_length}
 * fixes one s; {@code search} is the base model with stage 1's factors (LongRoPE without
 * fine-tuning); {@code finetuned} the stage 2 model with its own factors; {@code extended} the
 * exported model, reloaded from disk, with its short/long pair.
 *
 * @param data documents (null: {@code data.eval})
 * @param lengths evaluation lengths (required)
 * @param samples documents per length (1)
 * @param minTokens skip shorter documents (null: the longest length)
 * @param truncate one window per document (true) or sliding windows
 * @param stride sliding-window stride (256)
 * @param methods rows of the table
 * @param targetLength one L′ for the baselines (0: each row's own length)
 * @param splitDocuments cut the documents into pieces of the longest length first (many rows from a
 *     few long books; the quickstart's comparison); null: false
 * @param labels a row name for a method ({@code {"search": "longrope-found"}}); null: none
 */
public record EvaluateSpec(
    String data,
    List<Integer> lengths,
    Integer samples,
    Integer minTokens,
    Boolean truncate,
    Integer stride,
    List<String> methods,
    Integer targetLength,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean splitDocuments,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> labels) {

  /** Methods that are not base-model baselines. */
  public static final List<String> PIPELINE_METHODS = List.of("search", "finetuned", "extended");

  /** Default rows. */
  public static final List<String> DEFAULT_METHODS =
      List.of("none", "pi", "yarn", "search", "finetuned", "extended");

  public EvaluateSpec {
    lengths = lengths == null ? null : List.copyOf(lengths);
    samples = samples == null ? 1 : samples;
    truncate = truncate == null || truncate;
    stride = stride == null ? 256 : stride;
    methods = methods == null ? DEFAULT_METHODS : List.copyOf(methods);
    targetLength = targetLength == null ? 0 : targetLength;
    labels = labels == null ? null : Map.copyOf(labels);
  }

  /** Whether documents are cut into pieces of the longest length. */
  public boolean splits() {
    return Boolean.TRUE.equals(splitDocuments);
  }

  /** The row name of a method in the table. */
  public String label(String method) {
    return labels == null ? method : labels.getOrDefault(method, method);
  }

  /** Every known method name. */
  public static List<String> knownMethods() {
    List<String> all = new ArrayList<>(RopeNames.METHODS);
    all.addAll(PIPELINE_METHODS);
    return all;
  }

  void validate() {
    PipelineConfig.require(
        lengths != null && !lengths.isEmpty(), "evaluate.lengths", "required: one or more");
    for (Integer l : lengths) {
      PipelineConfig.require(
          l != null && l >= 2, "evaluate.lengths", "every length must be >= 2, got " + l);
    }
    PipelineConfig.require(samples >= 1, "evaluate.samples", "must be >= 1, got " + samples);
    PipelineConfig.require(
        minTokens == null || minTokens >= 0, "evaluate.min_tokens", "must be >= 0");
    PipelineConfig.require(stride >= 1, "evaluate.stride", "must be >= 1, got " + stride);
    PipelineConfig.require(
        targetLength >= 0, "evaluate.target_length", "must be >= 0 (0 = each row's length)");
    PipelineConfig.require(!methods.isEmpty(), "evaluate.methods", "required: one or more");
    Set<String> seen = new HashSet<>();
    for (String m : methods) {
      PipelineConfig.require(
          knownMethods().contains(m),
          "evaluate.methods",
          "unknown method '" + m + "'; known: " + String.join(", ", knownMethods()));
      PipelineConfig.require(seen.add(m), "evaluate.methods", "'" + m + "' given twice");
    }
    if (labels != null) {
      Set<String> rows = new HashSet<>();
      for (String m : methods) {
        PipelineConfig.require(
            rows.add(label(m)), "evaluate.labels", "two rows would be named '" + label(m) + "'");
      }
      for (String m : labels.keySet()) {
        PipelineConfig.require(
            methods.contains(m), "evaluate.labels." + m, "not one of evaluate.methods");
      }
    }
  }
}
