package io.github.longrope.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.data.Documents;
import io.github.longrope.data.SplitDocuments;
import io.github.longrope.eval.mc.McTask;
import io.github.longrope.io.RunSpecs;
import io.github.longrope.model.KvCache;
import io.github.longrope.model.Placement;
import io.github.longrope.model.Precision;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An evaluation plan, as written in {@code FILE.json} (snake_case keys; unknown keys are errors;
 * errors name the key): model/RoPE settings, and which evaluations to run on each. Sections left
 * out are not run; defaults fill absent values and the resolved plan is written to the output
 * folder.
 *
 * <pre>{@code
 * {
 *   "output": "results/eval-bundled",
 *   "settings": [
 *     {"name": "original", "model": "results/train-bundled/final"},
 *     {"name": "pi-8x", "model": "results/train-bundled/final",
 *      "rope_scaling": {"rope_type": "linear", "factor": 8}},
 *     {"name": "longrope-8x", "model": "results/train-bundled/final",
 *      "rope_scaling": {"rope_type": "longrope", "factor": 8, "long_factor": "best.csv",
 *                       "short_factor": "ones"}}
 *   ],
 *   "perplexity": {"datasets": [{"name": "books", "data": "datasets/corpus/data/eval-books.bin"}],
 *                  "lengths": [256, 512, 1024, 2048], "samples": 1, "truncate": true},
 *   "passkey": {"lengths": [256, 512, 1024, 2048], "depths": 5, "trials": 4},
 *   "mc": [{"name": "cloze-books", "task": "hellaswag", "data": "cloze-books.jsonl"}],
 *   "boundary": {"trials": 5}
 * }
 * }</pre>
 *
 * <p>{@code rope_scaling} is an HF object (null or absent: the checkpoint's own; {@code
 * {"rope_type": "default"}}: none). Two conveniences: {@code long_factor} / {@code short_factor}
 * may name a LongRoPE factor CSV instead of listing the values, or be {@code "ones"} (the original
 * RoPE); {@code original_max_position_embeddings} defaults to the checkpoint's original length.
 *
 * @param output results folder
 * @param settings what to evaluate: a name, an HF model directory, a RoPE override
 * @param threads libtorch intra-op threads (null: all cores)
 * @param attentionChunk query rows per attention chunk
 * @param dtype compute dtype of every decoder, {@code f32} (absent: the default) or {@code f16}
 * @param device {@code cpu}, {@code gpu} or {@code gpu:N} (absent: the first GPU when CUDA is
 *     there, else the CPU)
 */
public record EvalConfig(
    String output,
    List<Setting> settings,
    PerplexitySpec perplexity,
    PasskeySpec passkey,
    List<McSpec> mc,
    BoundarySpec boundary,
    Integer threads,
    Integer attentionChunk,
    @JsonInclude(JsonInclude.Include.NON_NULL) String dtype,
    @JsonInclude(JsonInclude.Include.NON_NULL) String device) {

  public EvalConfig {
    require(output != null && !output.isBlank(), "output", "required: the results folder");
    require(settings != null && !settings.isEmpty(), "settings", "required: one or more settings");
    settings = List.copyOf(settings);
    Set<String> names = new HashSet<>();
    for (Setting s : settings) {
      require(names.add(s.name()), "settings", "the name '" + s.name() + "' is used twice");
    }
    mc = mc == null ? List.of() : List.copyOf(mc);
    Set<String> mcNames = new HashSet<>();
    for (McSpec m : mc) {
      require(mcNames.add(m.name()), "mc", "the name '" + m.name() + "' is used twice");
    }
    require(
        perplexity != null || passkey != null || !mc.isEmpty() || boundary != null,
        "perplexity/passkey/mc/boundary",
        "nothing to evaluate: give at least one section");
    require(threads == null || threads >= 1, "threads", "must be >= 1");
    attentionChunk = attentionChunk == null ? 512 : attentionChunk;
    require(attentionChunk >= 1, "attention_chunk", "must be >= 1");
    dtype = dtype == null ? null : key("dtype", dtype, Precision::parse).key();
    device = device == null ? null : key("device", device, Placement::parse).name();
  }

  /** The compute dtype ({@code dtype}; f32 when absent). */
  @JsonIgnore
  public Precision precision() {
    return dtype == null ? Precision.F32 : Precision.parse(dtype);
  }

  /** The device ({@code device}; auto when absent). */
  @JsonIgnore
  public Placement placement() {
    return device == null ? Placement.AUTO : Placement.parse(device);
  }

  private static <T> T key(String key, String value, java.util.function.Function<String, T> parse) {
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("eval config: key '" + key + "': " + e.getMessage(), e);
    }
  }

  static void require(boolean ok, String key, String problem) {
    if (!ok) {
      throw new IllegalArgumentException("eval config: key '" + key + "': " + problem);
    }
  }

  /**
   * One model/RoPE setting.
   *
   * @param name a label for tables and figures (letters, digits, {@code . _ -})
   * @param model HF model directory
   * @param ropeScaling HF {@code rope_scaling} object, or null for the checkpoint's own
   */
  public record Setting(String name, String model, JsonNode ropeScaling) {
    public Setting {
      require(
          name != null && name.matches("[A-Za-z0-9._-]+"),
          "settings[].name",
          "required: letters, digits, '.', '_' or '-', got " + name);
      require(model != null && !model.isBlank(), "settings[].model", "required (" + name + ")");
      require(
          ropeScaling == null || ropeScaling.isNull() || ropeScaling.isObject(),
          "settings[].rope_scaling",
          "must be an object or null (" + name + ")");
      ropeScaling = ropeScaling == null || ropeScaling.isNull() ? null : ropeScaling;
    }
  }

  /** A perplexity data set: token files, .json ids, .txt (or a folder), or .jsonl. */
  public record Dataset(String name, String data, String field) {
    public Dataset {
      require(
          name != null && name.matches("[A-Za-z0-9._-]+"),
          "perplexity.datasets[].name",
          "required: letters, digits, '.', '_' or '-', got " + name);
      require(data != null, "perplexity.datasets[].data", "required (" + name + ")");
      field = field == null ? "text" : field;
    }
  }

  /**
   * Perplexity by the official protocol at each length (see {@link Perplexity}).
   *
   * @param pieces when set, each dataset is first cut into pieces of the longest length and this
   *     many of them, evenly spaced through it, are the documents ({@link SplitDocuments#evenly}):
   *     a few long books give many held-out windows instead of one per book (absent: the documents
   *     as they are)
   */
  public record PerplexitySpec(
      List<Dataset> datasets,
      List<Integer> lengths,
      Integer stride,
      Integer samples,
      Integer minTokens,
      Boolean truncate,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer pieces) {
    public PerplexitySpec {
      require(
          datasets != null && !datasets.isEmpty(), "perplexity.datasets", "required: one or more");
      datasets = List.copyOf(datasets);
      require(lengths != null && !lengths.isEmpty(), "perplexity.lengths", "required");
      lengths = List.copyOf(lengths);
      for (int l : lengths) {
        require(l >= 2, "perplexity.lengths", "every length must be >= 2, got " + l);
      }
      stride = stride == null ? 256 : stride;
      require(stride >= 1, "perplexity.stride", "must be >= 1");
      samples = samples == null ? 0 : samples;
      minTokens = minTokens == null ? 0 : minTokens;
      truncate = truncate != null && truncate;
      require(pieces == null || pieces >= 1, "perplexity.pieces", "must be >= 1");
    }

    /** The documents a dataset's perplexity is measured on (see {@code pieces}). */
    public Documents documents(Documents dataset) {
      return pieces == null
          ? dataset
          : SplitDocuments.evenly(dataset, Collections.max(lengths), pieces);
    }
  }

  /**
   * The passkey grid (see {@link PasskeyGrid}).
   *
   * @param depths number of evenly spaced depths, 0 for the official random depth (default 10)
   * @param policy {@code recompute} (default) or {@code fixed}
   * @param sizing {@code official} (3.65 characters per token, default) or {@code fit} (BOS +
   *     prompt + answer fill each length exactly: in-window retrieval)
   */
  public record PasskeySpec(
      List<Integer> lengths,
      Integer depths,
      Integer trials,
      Long seed,
      Integer maxNewTokens,
      String policy,
      String sizing) {
    public PasskeySpec {
      require(lengths != null && !lengths.isEmpty(), "passkey.lengths", "required");
      lengths = List.copyOf(lengths);
      for (int l : lengths) {
        require(l >= 1, "passkey.lengths", "every length must be >= 1, got " + l);
      }
      depths = depths == null ? 10 : depths;
      require(depths >= 0, "passkey.depths", "must be >= 0 (0 = official random depth)");
      trials = trials == null ? 10 : trials;
      require(trials >= 1, "passkey.trials", "must be >= 1");
      seed = seed == null ? PasskeyGrid.SEED : seed;
      maxNewTokens = maxNewTokens == null ? PasskeyGrid.MAX_NEW_TOKENS : maxNewTokens;
      require(maxNewTokens >= 1, "passkey.max_new_tokens", "must be >= 1");
      policy = policy == null ? "recompute" : policy.toLowerCase(Locale.ROOT);
      require(
          policy.equals("recompute") || policy.equals("fixed"),
          "passkey.policy",
          "must be recompute or fixed, got '" + policy + "'");
      sizing = sizing == null ? "official" : sizing.toLowerCase(Locale.ROOT);
      require(
          sizing.equals("official") || sizing.equals("fit"),
          "passkey.sizing",
          "must be official or fit, got '" + sizing + "'");
    }

    public PasskeyGrid grid() {
      return new PasskeyGrid(
          lengths,
          PasskeyGrid.evenDepths(depths),
          trials,
          seed,
          maxNewTokens,
          KvCache.Policy.valueOf(policy.toUpperCase(Locale.ROOT)),
          PasskeyGrid.Sizing.valueOf(sizing.toUpperCase(Locale.ROOT)));
    }
  }

  /**
   * A multiple-choice task on a local {@code .jsonl} file (see {@link McTask} for the layouts).
   *
   * @param name a label (default: the task)
   * @param shotsData few-shot pool (default: the other items of {@code data})
   * @param limit only the first items (0 = all)
   */
  public record McSpec(
      String name,
      String task,
      String data,
      Integer shots,
      String shotsData,
      Integer limit,
      Long seed) {
    public McSpec {
      require(task != null, "mc[].task", "required: arc, hellaswag, mmlu, truthfulqa(_mc2)");
      try {
        McTask.parse(task);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("eval config: key 'mc[].task': " + e.getMessage(), e);
      }
      name = name == null ? task : name;
      require(
          name.matches("[A-Za-z0-9._-]+"),
          "mc[].name",
          "letters, digits, '.', '_' or '-', got " + name);
      require(data != null, "mc[].data", "required (" + name + ")");
      shots = shots == null ? 0 : shots;
      require(shots >= 0, "mc[].shots", "must be >= 0");
      limit = limit == null ? 0 : limit;
      require(limit >= 0, "mc[].limit", "must be >= 0 (0 = all)");
      seed = seed == null ? 1234L : seed;
    }

    public McTask mcTask() {
      return McTask.parse(task);
    }
  }

  /** The short/long boundary test (see {@link BoundaryTest}), run for settings with a pair. */
  public record BoundarySpec(Integer trials, Long seed, Integer margin, Integer maxNewTokens) {
    public BoundarySpec {
      trials = trials == null ? 10 : trials;
      seed = seed == null ? PasskeyGrid.SEED : seed;
      margin = margin == null ? 3 : margin;
      maxNewTokens = maxNewTokens == null ? PasskeyGrid.MAX_NEW_TOKENS : maxNewTokens;
      require(trials >= 1, "boundary.trials", "must be >= 1");
      require(margin >= 1, "boundary.margin", "must be >= 1");
      require(
          maxNewTokens >= margin + 2,
          "boundary.max_new_tokens",
          "must be >= margin + 2 for generation to cross the original length");
    }

    public BoundaryTest test() {
      return new BoundaryTest(trials, seed, margin, maxNewTokens);
    }
  }

  /** Reads and validates a plan; errors name the file and key. */
  public static EvalConfig read(Path file) {
    return RunSpecs.read(file, EvalConfig.class, "evaluation plan");
  }

  /** Parses a plan from JSON text; {@code source} names it in errors. */
  public static EvalConfig parse(String json, String source) {
    return RunSpecs.parse(json, EvalConfig.class, source, "evaluation plan");
  }

  /** The resolved plan as JSON text (every default filled in). */
  public String toJson() {
    return RunSpecs.text(this);
  }
}
