package io.github.longrope.search.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.Json;
import io.github.longrope.io.RecordedPath;
import io.github.longrope.model.Precision;
import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.search.RopeTarget;
import io.github.longrope.search.RunRecord;
import io.github.longrope.search.SearchConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What to search. Runtime knobs (workers, threads, attention chunk) are not part of it: they do not
 * change the result.
 *
 * @param model HF model directory
 * @param data token data ({@code .bin}, {@code .json}, {@code .txt}, {@code .jsonl})
 * @param field text field of {@code .jsonl} data
 * @param targetLength L′, the evaluation length of the fitness (BOS included)
 * @param mode long (stage 1), relative (stage 3) or short (stage 4)
 * @param fitness ppl or needle
 * @param samples documents (ppl) or needle items
 * @param minTokens skip documents shorter than this (null: the target length)
 * @param truncate ppl: one window of L′ − 1 tokens per document (official search setting)
 * @param splitDocuments cut documents into L′-token pieces, interleaved, before sampling
 * @param magnitude attention-scale policy (null: su for long, the model's own otherwise)
 * @param precision compute dtype of the decoders ({@code dtype} in config.json, written when not
 *     f32)
 * @param initFactors the factors of the config's {@code file} init source, or null
 */
public record SearchSpec(
    Path model,
    Path data,
    String field,
    int targetLength,
    RopeTarget.Mode mode,
    FitnessKind fitness,
    int samples,
    Integer minTokens,
    boolean truncate,
    boolean splitDocuments,
    String magnitude,
    SearchConfig search,
    double[] initFactors,
    Precision precision) {

  /** Which fitness. */
  public enum FitnessKind {
    /** perplexity at the target length (official). */
    PPL,
    /** LongRoPE2 needle-driven perplexity. */
    NEEDLE
  }

  public SearchSpec {
    if (targetLength < 2) {
      throw new IllegalArgumentException(
          "target_length (--target-length) must be >= 2, got " + targetLength);
    }
    if (samples < 1) {
      throw new IllegalArgumentException("samples (--samples) must be >= 1, got " + samples);
    }
    if (minTokens != null && minTokens < 0) {
      throw new IllegalArgumentException(
          "min_tokens (--min-tokens) must be >= 0, got " + minTokens);
    }
    if (magnitude != null) {
      MagnitudeScaling.parse(magnitude); // validates
    }
    initFactors = initFactors == null ? null : initFactors.clone();
    precision = precision == null ? Precision.F32 : precision;
    if (search.init().contains("file") && initFactors == null) {
      throw new IllegalArgumentException(
          "the init source 'file' needs its factors (init_file, or --init-file)");
    }
  }

  /** Official defaults: long factors, ppl, 5 samples, truncate. */
  public static SearchSpec of(Path model, Path data, int targetLength, SearchConfig search) {
    return builder(model, data, targetLength, search).build();
  }

  /**
   * A builder with the official defaults (long factors, ppl fitness, 5 samples, one truncated
   * window per document, the model's own magnitude policy), for notebooks and presets:
   *
   * <pre>{@code
   * SearchJob.SearchSpec spec =
   *     SearchJob.SearchSpec.builder(model, data, 2048, hyper).samples(2).splitDocuments(true).build();
   * }</pre>
   */
  public static Builder builder(Path model, Path data, int targetLength, SearchConfig search) {
    return new Builder(model, data, targetLength, search);
  }

  /** A builder holding this spec's values (to change a few, as a resume with flags does). */
  public Builder toBuilder() {
    Builder b = new Builder(model, data, targetLength, search);
    b.field = field;
    b.mode = mode;
    b.fitness = fitness;
    b.samples = samples;
    b.minTokens = minTokens;
    b.truncate = truncate;
    b.splitDocuments = splitDocuments;
    b.magnitude = magnitude;
    b.initFactors = initFactors;
    b.precision = precision;
    return b;
  }

  /**
   * Builds a {@link SearchSpec}; every setter returns the builder, and {@link #build} validates.
   */
  public static final class Builder {
    private Path model;
    private Path data;
    private int targetLength;
    private SearchConfig search;
    private String field = "text";
    private RopeTarget.Mode mode = RopeTarget.Mode.LONG;
    private FitnessKind fitness = FitnessKind.PPL;
    private int samples = 5;
    private Integer minTokens;
    private boolean truncate = true;
    private boolean splitDocuments;
    private String magnitude;
    private double[] initFactors;
    private Precision precision = Precision.F32;

    private Builder(Path model, Path data, int targetLength, SearchConfig search) {
      this.model = model;
      this.data = data;
      this.targetLength = targetLength;
      this.search = search;
    }

    public Builder model(Path v) {
      model = v;
      return this;
    }

    public Builder data(Path v) {
      data = v;
      return this;
    }

    public Builder targetLength(int v) {
      targetLength = v;
      return this;
    }

    public Builder search(SearchConfig v) {
      search = v;
      return this;
    }

    /** The text field of {@code .jsonl} data. */
    public Builder field(String v) {
      field = v;
      return this;
    }

    public Builder mode(RopeTarget.Mode v) {
      mode = v;
      return this;
    }

    public Builder fitness(FitnessKind v) {
      fitness = v;
      return this;
    }

    public Builder samples(int v) {
      samples = v;
      return this;
    }

    /** Skip documents shorter than this (null: the target length). */
    public Builder minTokens(Integer v) {
      minTokens = v;
      return this;
    }

    public Builder truncate(boolean v) {
      truncate = v;
      return this;
    }

    public Builder splitDocuments(boolean v) {
      splitDocuments = v;
      return this;
    }

    /** Attention-scale policy (null: su for long, the model's own otherwise). */
    public Builder magnitude(String v) {
      magnitude = v;
      return this;
    }

    /** The factors of the {@code file} init source. */
    public Builder initFactors(double[] v) {
      initFactors = v;
      return this;
    }

    /** Compute dtype of the search's decoders (f32 by default; f16 halves weights and K/V). */
    public Builder precision(Precision v) {
      precision = v;
      return this;
    }

    public SearchSpec build() {
      return new SearchSpec(
          model,
          data,
          field,
          targetLength,
          mode,
          fitness,
          samples,
          minTokens,
          truncate,
          splitDocuments,
          magnitude,
          search,
          initFactors,
          precision);
    }
  }

  @Override
  public double[] initFactors() {
    return initFactors == null ? null : initFactors.clone();
  }

  /**
   * The spec as the {@code problem} part of config.json, its paths relative to the run directory
   * {@code runDir} (see {@link RecordedPath}).
   */
  public ObjectNode toJson(Path runDir) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("model", RecordedPath.relative(runDir, model));
    o.put("data", RecordedPath.relative(runDir, data));
    o.put("field", field);
    o.put("target_length", targetLength);
    o.put("mode", mode.name().toLowerCase(Locale.ROOT));
    o.put("fitness", fitness.name().toLowerCase(Locale.ROOT));
    o.put("samples", samples);
    if (minTokens == null) {
      o.putNull("min_tokens");
    } else {
      o.put("min_tokens", minTokens);
    }
    o.put("truncate", truncate);
    o.put("split_documents", splitDocuments);
    if (magnitude == null) {
      o.putNull("magnitude");
    } else {
      o.put("magnitude", magnitude);
    }
    if (initFactors != null) {
      o.set("init_factors", Json.array(initFactors));
    }
    if (precision != Precision.F32) {
      // only when not f32, so that every record made before the key existed reads the same
      o.put("dtype", precision.key());
    }
    return o;
  }

  /**
   * The spec stored in a run directory, read back from its config.json.
   *
   * @param why what the caller wanted the run for, the start of the error when the directory holds
   *     no search run ("nothing to resume in", "--run")
   */
  public static SearchSpec read(Path runDir, String why) {
    Path stored = runDir.resolve(RunRecord.CONFIG);
    if (!Files.isRegularFile(stored)) {
      throw new IllegalArgumentException(
          why + " " + runDir + ": not a search run (it has no " + RunRecord.CONFIG + ")");
    }
    return fromJson(Json.readObject(stored), stored.toString(), runDir);
  }

  /** Reads the spec back from the config.json of the run directory {@code runDir}. */
  public static SearchSpec fromJson(JsonNode config, String source, Path runDir) {
    JsonNode p = config.get("problem");
    JsonNode s = config.get("search");
    if (p == null || s == null) {
      throw new IllegalArgumentException(source + ": not a search run config");
    }
    double[] init = null;
    if (p.has("init_factors")) {
      JsonNode a = p.get("init_factors");
      init = new double[a.size()];
      for (int i = 0; i < init.length; i++) {
        init[i] = a.get(i).asDouble();
      }
    }
    return new SearchSpec(
        RecordedPath.resolve(runDir, p.get("model").asText()),
        RecordedPath.resolve(runDir, p.get("data").asText()),
        p.get("field").asText(),
        p.get("target_length").asInt(),
        RopeTarget.Mode.valueOf(p.get("mode").asText().toUpperCase(Locale.ROOT)),
        FitnessKind.valueOf(p.get("fitness").asText().toUpperCase(Locale.ROOT)),
        p.get("samples").asInt(),
        p.get("min_tokens").isNull() ? null : p.get("min_tokens").asInt(),
        p.get("truncate").asBoolean(),
        p.get("split_documents").asBoolean(),
        p.get("magnitude").isNull() ? null : p.get("magnitude").asText(),
        SearchConfig.parse(s.toString(), source),
        init,
        p.has("dtype") ? Precision.parse(p.get("dtype").asText()) : Precision.F32);
  }
}
