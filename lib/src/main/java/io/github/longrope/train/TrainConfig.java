package io.github.longrope.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.RunSpecs;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A training or fine-tuning run, as written in {@code FILE.json} (snake_case keys; unknown keys are
 * errors). Defaults fill absent values; the resolved config is written next to the outputs.
 *
 * @param output run directory: {@code config.json}, {@code log.jsonl}, {@code checkpoints/}, {@code
 *     final/}
 * @param model what to train
 * @param data token files
 * @param context tokens per training sequence (BOS included)
 * @param targetLength PoSE: spread each sequence's positions over [0, targetLength) (0 = off)
 * @param ropeScaling RoPE override as an HF {@code rope_scaling} object (null = the model's own)
 * @param steps optimizer steps in total (a resumed run continues to this count)
 * @param batch sequences per optimizer step (gradient accumulation)
 * @param activationCheckpointing recompute each layer in backward instead of storing activations
 * @param passkeyProbe at each validation, greedy passkey retrieval on this many prompts fitted to
 *     {@code context} (0 = off; see {@link PasskeyProbe}): the retrieval curve of a passkey mixture
 * @param mixed LongRoPE2's mixed context window training (null = off; see {@link MixedSpec})
 */
public record TrainConfig(
    String output,
    ModelSpec model,
    DataSpec data,
    Integer context,
    Integer targetLength,
    JsonNode ropeScaling,
    Integer steps,
    Integer batch,
    OptimizerSpec optimizer,
    Integer checkpointEvery,
    Integer keepCheckpoints,
    Integer evalEvery,
    Integer evalSequences,
    Long seed,
    Boolean activationCheckpointing,
    Integer passkeyProbe,
    @JsonInclude(JsonInclude.Include.NON_NULL) MixedSpec mixed) {

  public TrainConfig {
    require(output != null && !output.isBlank(), "output", "required: the run directory");
    require(model != null, "model", "required");
    require(data != null, "data", "required");
    context = context == null ? 256 : context;
    require(context >= 2, "context", "must be >= 2, got " + context);
    targetLength = targetLength == null ? 0 : targetLength;
    require(
        targetLength == 0 || targetLength >= context,
        "target_length",
        "must be >= context (or 0 for off)");
    steps = steps == null ? 1000 : steps;
    require(steps >= 1, "steps", "must be >= 1");
    batch = batch == null ? 8 : batch;
    require(batch >= 1, "batch", "must be >= 1");
    optimizer =
        optimizer == null
            ? new OptimizerSpec(null, null, null, null, null, null, null, null, null)
            : optimizer;
    checkpointEvery = checkpointEvery == null ? 200 : checkpointEvery;
    require(checkpointEvery >= 1, "checkpoint_every", "must be >= 1");
    keepCheckpoints = keepCheckpoints == null ? 2 : keepCheckpoints;
    require(keepCheckpoints >= 1, "keep_checkpoints", "must be >= 1");
    evalEvery = evalEvery == null ? 200 : evalEvery;
    require(evalEvery >= 1, "eval_every", "must be >= 1");
    evalSequences = evalSequences == null ? 16 : evalSequences;
    require(evalSequences >= 1, "eval_sequences", "must be >= 1");
    seed = seed == null ? 1L : seed;
    activationCheckpointing = activationCheckpointing != null && activationCheckpointing;
    passkeyProbe = passkeyProbe == null ? 0 : passkeyProbe;
    require(passkeyProbe >= 0, "passkey_probe", "must be >= 0 (0 = off)");
    require(
        mixed == null || mixed.shortLength() == null || mixed.shortLength() <= context,
        "mixed.short_length",
        "must be <= context (" + context + ")");
  }

  /**
   * Mixed context window training (LongRoPE2): a fraction of the sequences are short documents
   * packed into one sequence of up to {@code context} tokens, each attending only to itself with
   * positions from 0, trained under the model's original RoPE; the others are the usual long
   * windows under {@code rope_scaling}. Documents of {@code short_data} are cut into pieces of at
   * most {@code short_length} tokens (BOS included).
   *
   * @param shortLength longest short document (default: the model's original length L)
   * @param shortFraction share of packed sequences in each epoch (default 0.5), in (0, 1)
   * @param shortData token files of the short documents (default: {@code data.train})
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MixedSpec(Integer shortLength, Double shortFraction, List<String> shortData) {
    public MixedSpec {
      require(shortLength == null || shortLength >= 2, "mixed.short_length", "must be >= 2");
      shortFraction = shortFraction == null ? 0.5 : shortFraction;
      require(
          shortFraction > 0 && shortFraction < 1,
          "mixed.short_fraction",
          "must be in (0, 1), got " + shortFraction);
      require(
          shortData == null || !shortData.isEmpty(),
          "mixed.short_data",
          "needs one or more token files when given");
      shortData = shortData == null ? null : List.copyOf(shortData);
    }
  }

  static void require(boolean ok, String key, String problem) {
    if (!ok) {
      throw new IllegalArgumentException("train config: key '" + key + "': " + problem);
    }
  }

  /**
   * The model: either {@code init}, an HF directory to fine-tune, or {@code config}, an HF
   * config.json object for a randomly initialised model; {@code tokenizer} is copied into the
   * outputs so they are complete HF directories.
   */
  public record ModelSpec(String init, JsonNode config, String tokenizer, Double initStd) {
    public ModelSpec {
      // the resolved config writes an absent object as null, which Jackson reads as a NullNode
      config = config == null || config.isNull() ? null : config;
      require(
          (init == null) != (config == null),
          "model",
          "give exactly one of 'init' (a model directory) and 'config' (a config.json object)");
      initStd = initStd == null ? 0.02 : initStd;
      require(initStd > 0, "model.init_std", "must be > 0");
    }
  }

  /**
   * Token files ({@code PREFIX.bin}/{@code .idx}): {@code train} (one or more), {@code validation},
   * and an optional {@code passkey} mixture making up {@code passkeyFraction} of the sequences.
   *
   * <p>{@code passkeyLoss} says which tokens of a passkey sequence carry loss: {@code "all"} (the
   * default: the filler, the needle and the answer) or {@code "answer"} (only the answer " K.", its
   * length read from the dataset's {@code .jsonl}). The filler is learned within a few dozen steps
   * and the needle's own key is random, so under "all" most of a passkey sequence's gradient is
   * noise around the few answer tokens that teach retrieval; "answer" keeps only those, and the
   * output layer, the largest matrix of a small model, is then applied to those positions alone.
   */
  public record DataSpec(
      List<String> train,
      String validation,
      String passkey,
      Double passkeyFraction,
      String passkeyLoss) {
    /** All tokens of the passkey sequences carry loss. */
    public DataSpec(List<String> train, String validation, String passkey, Double passkeyFraction) {
      this(train, validation, passkey, passkeyFraction, null);
    }

    public DataSpec {
      require(train != null && !train.isEmpty(), "data.train", "required: one or more token files");
      train = List.copyOf(train);
      passkeyFraction = passkeyFraction == null ? 0.0 : passkeyFraction;
      require(
          passkeyFraction >= 0 && passkeyFraction < 1,
          "data.passkey_fraction",
          "must be in [0, 1), got " + passkeyFraction);
      require(
          passkeyFraction == 0 || passkey != null,
          "data.passkey",
          "required when passkey_fraction > 0");
      passkeyLoss = passkeyLoss == null ? "all" : passkeyLoss;
      require(
          passkeyLoss.equals("all") || passkeyLoss.equals("answer"),
          "data.passkey_loss",
          "must be \"all\" or \"answer\", got \"" + passkeyLoss + "\"");
      require(
          passkeyLoss.equals("all") || passkey != null,
          "data.passkey_loss",
          "\"answer\" scores passkey sequences, but data.passkey is not set");
    }

    /** Whether passkey sequences are scored on their answer only. */
    public boolean answerOnly() {
      return passkeyLoss.equals("answer");
    }
  }

  /** AdamW and its learning-rate schedule. */
  public record OptimizerSpec(
      Double lr,
      Double minLr,
      Integer warmup,
      String schedule,
      Double beta1,
      Double beta2,
      Double eps,
      Double weightDecay,
      Double clip) {
    public OptimizerSpec {
      lr = lr == null ? 3e-4 : lr;
      require(lr > 0 && Double.isFinite(lr), "optimizer.lr", "must be > 0");
      minLr = minLr == null ? lr / 10 : minLr;
      require(minLr >= 0 && minLr <= lr, "optimizer.min_lr", "must be in [0, lr]");
      warmup = warmup == null ? 100 : warmup;
      require(warmup >= 0, "optimizer.warmup", "must be >= 0");
      schedule = schedule == null ? "cosine" : schedule.toLowerCase(Locale.ROOT);
      require(
          List.of("cosine", "linear", "constant").contains(schedule),
          "optimizer.schedule",
          "must be cosine, linear or constant, got '" + schedule + "'");
      beta1 = beta1 == null ? 0.9 : beta1;
      beta2 = beta2 == null ? 0.95 : beta2;
      require(
          beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1,
          "optimizer.beta1/beta2",
          "must be in [0, 1)");
      eps = eps == null ? 1e-8 : eps;
      require(eps > 0, "optimizer.eps", "must be > 0");
      weightDecay = weightDecay == null ? 0.1 : weightDecay;
      require(weightDecay >= 0, "optimizer.weight_decay", "must be >= 0");
      clip = clip == null ? 1.0 : clip;
      require(clip >= 0, "optimizer.clip", "must be >= 0 (0 = no clipping)");
    }
  }

  /** The same run with another total step count. */
  public TrainConfig withSteps(int total) {
    return new TrainConfig(
        output,
        model,
        data,
        context,
        targetLength,
        ropeScaling,
        total,
        batch,
        optimizer,
        checkpointEvery,
        keepCheckpoints,
        evalEvery,
        evalSequences,
        seed,
        activationCheckpointing,
        passkeyProbe,
        mixed);
  }

  /** Reads and validates a config file; errors name the file and key. */
  public static TrainConfig read(Path file) {
    return RunSpecs.read(file, TrainConfig.class, "training config");
  }

  /**
   * Parses and validates config text (the pipeline builds its fine-tuning stage from a fragment
   * this way); {@code source} names it in errors.
   */
  public static TrainConfig parse(String text, String source) {
    return RunSpecs.parse(text, TrainConfig.class, source, "training config");
  }

  /** The resolved config as JSON text (every default filled in). */
  public String toJson() {
    return RunSpecs.text(this);
  }
}
