package io.github.longrope.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.Json;
import io.github.longrope.io.RunSpecs;
import io.github.longrope.model.Precision;
import io.github.longrope.search.run.SearchEngine;
import io.github.longrope.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The LongRoPE progressive extension as one versioned JSON file ({@code configs/pipeline/*.json};
 * snake_case keys, unknown keys are errors, every error names the key): which model, which data
 * splits, and each stage's budget.
 *
 * <pre>{@code
 * {"version": 1, "run": "results/pipeline-16k", "model": "models/bundled",
 *  "data": {"search": "…/search.bin", "train": ["…/train.bin"], "eval": "…/eval-books.bin"},
 *  "search_long": {"target_length": 2048, "samples": 2, "search": {"version": 1, …}},
 *  "finetune": {"steps": 30, "batch": 2, "optimizer": {"lr": 1e-3}},
 *  "search_relative": {"target_length": 16384, "samples": 1, "search": {…}},
 *  "search_short": {"target_length": 256, "split_documents": true, "search": {…}},
 *  "export": {"dtype": "f32"},
 *  "evaluate": {"lengths": [256, 2048, 16384]}}
 * }</pre>
 *
 * <p>{@code finetune} is a {@link TrainConfig} without {@code output}, {@code model}, {@code data}
 * and {@code rope_scaling}: the pipeline supplies those (its run folder, the base model, {@code
 * data}, stage 1's factors), so they cannot disagree with the stages around it; {@code context}
 * defaults to stage 1's target length; {@code "finetune": false} leaves the fine-tune out (the
 * searched factors on the base model: the quickstart). Paths are relative to the working directory,
 * as in the train and eval configs.
 *
 * <p>Layout: {@code stage_dirs} names a stage's folder ({@code {"search-long": "search"}}; default
 * {@code stageN-name}), {@code export.dir} the HF directory, {@code report} asks for the flat
 * run-level files ({@link ReportSpec}); a stage the config leaves out has no folder. The quickstart
 * is this file's preset ({@code quickstart.Quickstart#preset}).
 *
 * @param version file format, 1
 * @param run the run folder ({@code results/<run>})
 * @param model the base HF model directory
 * @param dtype compute dtype of the search stages' and the evaluation's decoders ({@code f32} when
 *     absent, or {@code f16}); the fine-tune trains in f32 and {@code export.dtype} is the file's
 */
public record PipelineConfig(
    Integer version,
    String run,
    String model,
    PipelineData data,
    SearchStageSpec searchLong,
    JsonNode finetune,
    SearchStageSpec searchRelative,
    SearchStageSpec searchShort,
    ExportSpec export,
    EvaluateSpec evaluate,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> stageDirs,
    @JsonInclude(JsonInclude.Include.NON_NULL) ReportSpec report,
    @JsonInclude(JsonInclude.Include.NON_NULL) String dtype) {

  /** The current file format version. */
  public static final int VERSION = 1;

  /** Keys of {@code finetune} that the pipeline sets itself. */
  static final List<String> PIPELINE_TRAIN_KEYS =
      List.of("output", "model", "data", "rope_scaling");

  public PipelineConfig {
    require(version != null, "version", "required: the file format version (" + VERSION + ")");
    require(version == VERSION, "version", "unsupported version " + version + "; expected 1");
    require(run != null && !run.isBlank(), "run", "required: the run folder");
    require(model != null && !model.isBlank(), "model", "required: the base model directory");
    require(data != null, "data", "required");
    if (dtype != null) {
      try {
        dtype = Precision.parse(dtype).key();
      } catch (IllegalArgumentException e) {
        require(false, "dtype", e.getMessage());
      }
    }
    finetune = finetune == null || finetune.isNull() ? Json.MAPPER.createObjectNode() : finetune;
    require(
        finetune.isObject() || (finetune.isBoolean() && !finetune.asBoolean()),
        "finetune",
        "must be an object (a train config fragment) or false (no fine-tune)");
    data.validate(finetune.isObject());
    require(searchLong != null, "search_long", "required: stage 1");
    // LongRoPE2 (configs/pipeline/bundled-longrope2.json) goes to the target in one search and
    // keeps
    // the original RoPE as its short set: stages 3 and 4 are optional and skipped when absent
    searchLong.validate("search_long");
    searchLong = searchLong.resolved("search_long");
    if (searchRelative != null) {
      searchRelative.validate("search_relative");
      searchRelative = searchRelative.resolved("search_relative");
      require(
          searchRelative.targetLength() > searchLong.targetLength(),
          "search_relative.target_length",
          "must exceed search_long.target_length ("
              + searchLong.targetLength()
              + ", the fine-tuned length), got "
              + searchRelative.targetLength());
    }
    require(
        searchRelative == null || finetune.isObject(),
        "search_relative",
        "needs the fine-tune (it searches on stage 2's model); remove 'finetune': false");
    require(
        searchShort == null || searchRelative != null,
        "search_short",
        "needs search_relative (it runs on stage 3's model); leave both out for LongRoPE2");
    if (searchShort != null) {
      searchShort.validate("search_short");
      searchShort = searchShort.resolved("search_short");
      require(
          searchShort.targetLength() < searchLong.targetLength(),
          "search_short.target_length",
          "must be below search_long.target_length (short factors serve up to the original"
              + " length L), got "
              + searchShort.targetLength());
    }
    for (String k : PIPELINE_TRAIN_KEYS) {
      require(
          !finetune.has(k),
          "finetune." + k,
          "set by the pipeline (run folder, base model, data splits, stage 1 factors); remove it");
    }
    export = export == null ? new ExportSpec(null, null, null, null) : export;
    export.validate();
    if (export.maxPositionEmbeddings() == null) {
      export =
          export.withMaxPositionEmbeddings(
              (searchRelative != null ? searchRelative : searchLong).targetLength());
    }
    require(evaluate != null, "evaluate", "required: the final table's lengths");
    evaluate.validate();
    require(
        finetune.isObject() || !evaluate.methods().contains("finetuned"),
        "evaluate.methods",
        "'finetuned' needs the fine-tune (the config has 'finetune': false)");
    stageDirs = stageDirs == null ? null : Map.copyOf(stageDirs);
    validateStageDirs(stageDirs);
    require(
        data.eval() != null || evaluate.data() != null,
        "data.eval",
        "required (or evaluate.data): the documents of the final table");
    // the fine-tuning fragment must make a valid train config: fail now, not after stage 1
    if (finetune.isObject()) {
      trainConfig(
          finetune,
          data,
          searchLong.targetLength(),
          Path.of("validation"),
          "model",
          Json.MAPPER.createObjectNode());
    }
  }

  /** The compute dtype of the search stages and the evaluation ({@code dtype}; f32 when absent). */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public Precision precision() {
    return dtype == null ? Precision.F32 : Precision.parse(dtype);
  }

  private static void validateStageDirs(Map<String, String> dirs) {
    if (dirs == null) {
      return;
    }
    Set<String> labels = new HashSet<>();
    for (Stage s : Stage.values()) {
      labels.add(s.label());
    }
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, String> e : dirs.entrySet()) {
      String key = "stage_dirs." + e.getKey();
      require(labels.contains(e.getKey()), key, "not a stage; stages: " + labels);
      requireInside(e.getValue(), key);
      require(
          !Path.of(e.getValue()).normalize().toString().isEmpty(),
          key,
          "must be a folder inside the run folder, not the run folder itself");
      require(seen.add(e.getValue()), key, "another stage has folder '" + e.getValue() + "'");
    }
  }

  /** A relative path that stays inside the run folder. */
  static void requireInside(String path, String key) {
    Path p = Path.of(path).normalize();
    require(
        !path.isBlank() && !p.isAbsolute() && !p.startsWith(".."),
        key,
        "must be a path inside the run folder, got '" + path + "'");
  }

  /** Whether stage 2 runs ({@code "finetune": false} leaves it out). */
  public boolean fineTunes() {
    return finetune.isObject();
  }

  /** Whether the config runs {@code stage} (stages 2–4 may be left out). */
  public boolean runs(Stage stage) {
    return switch (stage) {
      case FINETUNE -> fineTunes();
      case SEARCH_RELATIVE -> searchRelative != null;
      case SEARCH_SHORT -> searchShort != null;
      default -> true;
    };
  }

  /** The folder of a stage: {@code stage_dirs} or {@code stageN-name}. */
  public Path stageDir(Path run, Stage stage) {
    String d = stageDirs == null ? null : stageDirs.get(stage.label());
    return run.resolve(d != null ? d : stage.dirName());
  }

  static void require(boolean ok, String key, String problem) {
    if (!ok) {
      throw new IllegalArgumentException("pipeline config: key '" + key + "': " + problem);
    }
  }

  /**
   * Stage 2's train config: the {@code finetune} fragment plus the run folder, the base model, the
   * data splits and stage 1's {@code rope_scaling}.
   */
  public TrainConfig trainConfig(Path output, String initModel, JsonNode ropeScaling) {
    return trainConfig(finetune, data, searchLong.targetLength(), output, initModel, ropeScaling);
  }

  private static TrainConfig trainConfig(
      JsonNode finetune,
      PipelineData data,
      int context,
      Path output,
      String initModel,
      JsonNode ropeScaling) {
    ObjectNode o = finetune.deepCopy();
    o.put("output", output.toString());
    o.putObject("model").put("init", initModel);
    ObjectNode d = o.putObject("data");
    ArrayNode train = d.putArray("train");
    data.trainFiles().forEach(train::add);
    if (data.validation() != null) {
      d.put("validation", data.validation());
    }
    if (data.passkey() != null) {
      d.put("passkey", data.passkey());
    }
    d.put("passkey_fraction", data.passkeyFraction());
    o.set("rope_scaling", ropeScaling);
    if (!o.has("context")) {
      o.put("context", context);
    }
    try {
      return TrainConfig.parse(o.toString(), "finetune");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("pipeline config: key 'finetune': " + e.getMessage(), e);
    }
  }

  /** Reads and validates a config file; errors name the file and key. */
  public static PipelineConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new FormatException(file.toString(), "", "pipeline config not found");
    } catch (IOException e) {
      throw new FormatException(file.toString(), "", "cannot read: " + e.getMessage(), e);
    }
    return parse(text, file.toString(), null);
  }

  /**
   * Parses config text; {@code source} names it in errors. With a {@code base}, relative paths are
   * resolved against it (tests and notebooks keep a config next to its data); without, they stay
   * relative to the working directory.
   */
  public static PipelineConfig parse(String text, String source, Path base) {
    JsonNode tree = Json.parseObject(text, source);
    if (tree instanceof ObjectNode o) {
      o.remove("engine"); // where the stages run, read by engineOf: not part of the run's settings
    }
    if (base != null && tree instanceof ObjectNode o) {
      try {
        PipelinePaths.resolve(o, base);
      } catch (IllegalArgumentException e) {
        throw new FormatException(source, "", e.getMessage(), e);
      }
    }
    return RunSpecs.convert(tree, PipelineConfig.class, source, "pipeline config");
  }

  /**
   * The file's {@code engine} object ({@code {"name": "spark", "master": …, "conf": {…}, "devices":
   * […]}}, as {@link SearchEngine#fromJson} reads it): where the search stages run. Like the {@code
   * --engine} flags it is a runtime choice, not part of {@code pipeline.json}, so a resume may
   * change it; absent: the local engine.
   */
  public static SearchEngine engineOf(Path file) {
    if (!Files.isRegularFile(file)) {
      return SearchEngine.LOCAL; // read() says what is wrong with the file
    }
    JsonNode tree = Json.readObject(file);
    try {
      return SearchEngine.fromJson(tree.get("engine"), file.toString());
    } catch (IllegalArgumentException e) {
      throw new FormatException(file.toString(), "engine", e.getMessage(), e);
    }
  }

  /** The resolved config as a JSON tree (defaults filled in, search settings inline). */
  public ObjectNode toJson() {
    return (ObjectNode) RunSpecs.tree(this);
  }
}
