package io.github.longrope.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.Documents;
import io.github.longrope.data.PasskeyMixture;
import io.github.longrope.data.TokenFile;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.Json;
import io.github.longrope.io.RunLock;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.PackedPass;
import io.github.longrope.model.RandomWeights;
import io.github.longrope.model.TrainingPass;
import io.github.longrope.rope.RopeScaling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code Trainer.run(config)}: trains or fine-tunes, resuming from the newest checkpoint of the run
 * directory when there is one. A run killed at any instant loses at most the steps since its last
 * checkpoint, and a resumed run continues exactly as the uninterrupted one would (same data order,
 * PoSE positions, optimizer state and schedule). An interrupted thread stops before the next step
 * with a {@link java.util.concurrent.CancellationException}.
 */
public final class Trainer {
  private Trainer() {}

  /** What a run produced (JSON: snake_case keys, as {@code longrope train --json} prints it). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Result(
      Path output,
      long steps,
      long resumedFrom,
      double trainLoss,
      double validationLoss,
      double tokensPerSecond,
      Path finalModel) {
    /** Two lines: the run's numbers, then the final model. */
    public String text() {
      return String.format(
          Locale.ROOT,
          "trained %d steps (resumed from %d): train loss %.4f, validation loss %.4f, %.0f tok/s%n"
              + "model: %s%n",
          steps,
          resumedFrom,
          trainLoss,
          validationLoss,
          tokensPerSecond,
          finalModel);
    }
  }

  /** Progress callbacks (CLI progress bar, notebook displays). */
  public interface Listener {
    default void step(long step, long total, double loss, double lr, double tokensPerSecond) {}

    default void validation(long step, double loss) {}

    /**
     * The {@code passkey_probe} at a validation step: greedy accuracy and the answer's mean
     * teacher-forced NLL.
     */
    default void passkey(long step, double accuracy, double answerNll) {}

    default void checkpoint(long step, Path dir) {}

    /** A note for the user (a stale lock taken over, for example). */
    default void message(String text) {}
  }

  /** Checkpoint state besides weights and optimizer moments. */
  record State(long step, long sequence, double trainLoss, double validationLoss) {}

  public static Result run(TrainConfig cfg, Listener listener) {
    try {
      return train(cfg, listener);
    } catch (java.io.UncheckedIOException e) {
      // NIO file channels turn an interrupt into ClosedByInterruptException: the same cancel
      if (e.getCause() instanceof java.nio.channels.ClosedByInterruptException) {
        var c =
            new java.util.concurrent.CancellationException(
                "training interrupted; resume from " + cfg.output());
        c.initCause(e);
        throw c;
      }
      throw e;
    }
  }

  @SuppressWarnings("try") // the run lock is held for the block, not used in it
  private static Result train(TrainConfig cfg, Listener listener) {
    if (Thread.currentThread().isInterrupted()) {
      throw new java.util.concurrent.CancellationException("training interrupted before it began");
    }
    Path out = Path.of(cfg.output());
    // a probe or answer lengths that cannot be read fail before the config is written into the run
    // directory
    int[] answers = answerTokens(cfg);
    try (RunLock lock = RunLock.acquire(out, listener::message);
        PasskeyProbe probe = PasskeyProbe.of(cfg)) {
      writeResolvedConfig(cfg, out);
      return train(cfg, listener, out, probe, answers);
    }
  }

  /** Per passkey sequence, its answer's token count when only the answer is scored; else null. */
  private static int[] answerTokens(TrainConfig cfg) {
    if (cfg.data().passkey() == null || !cfg.data().answerOnly()) {
      return null;
    }
    Path prefix = Path.of(cfg.data().passkey());
    return PasskeyMixture.answerTokens(prefix, TokenFile.open(prefix).size());
  }

  private static Result train(
      TrainConfig cfg, Listener listener, Path out, PasskeyProbe probe, int[] answers) {
    ModelConfig config = modelConfig(cfg);
    RopeScaling rope =
        cfg.ropeScaling() == null || cfg.ropeScaling().isNull()
            ? config.ropeScaling()
            : HfRopeConfig.parseScaling(
                cfg.ropeScaling(), config.rope().pairs(), "train config rope_scaling");
    Checkpoints checkpoints = new Checkpoints(out);
    try (Decoder model = initialModel(cfg, config)) {
      TrainingPass.enable(model);
      Map<String, NDArray> params = TrainingPass.parameters(model);
      Batches batches = batches(cfg, config, answers);
      MixedBatches mixed = mixed(cfg, config, batches);
      // mixed training: packed short documents keep the checkpoint's own (original) RoPE
      RopeScaling shortRope = config.ropeScaling();
      List<int[]> validation = validation(cfg, config);
      try (AdamW adam = new AdamW(cfg.optimizer(), params)) {
        State state = new State(0, 0, Double.NaN, Double.NaN);
        var latest = checkpoints.latest();
        if (latest.isPresent()) {
          state = restore(latest.get(), params, adam);
        }
        // the log keeps what the checkpoint covers: a run killed before its first checkpoint
        // starts from step 0 with an empty log, never appending its steps a second time
        truncateLog(out.resolve("log.jsonl"), latest.isPresent() ? state.step() : -1);
        long resumedFrom = state.step();
        long sequence = state.sequence();
        double trainLoss = state.trainLoss();
        double valLoss = state.validationLoss();
        long tokens = 0;
        long t0 = System.nanoTime();
        for (long step = state.step() + 1; step <= cfg.steps(); step++) {
          // a notebook's interrupt (or a cancelled future) stops between steps; the checkpoints
          // already written stay, so the run resumes from the last one
          if (Thread.currentThread().isInterrupted()) {
            throw new java.util.concurrent.CancellationException(
                "training interrupted before step " + step + "; resume from " + out);
          }
          double loss = 0;
          int packed = 0;
          for (int b = 0; b < cfg.batch(); b++) {
            MixedBatches.Item item =
                mixed != null ? mixed.item(sequence) : MixedBatches.longWindow(batches, sequence);
            int[] seq = item.ids();
            if (item.packed()) {
              loss += PackedPass.backward(model, seq, item.starts(), shortRope, 1f / cfg.batch());
              packed++;
            } else {
              int[] positions =
                  cfg.targetLength() > 0
                      ? Batches.posePositions(seq.length, cfg.targetLength(), cfg.seed(), sequence)
                      : null;
              loss +=
                  TrainingPass.backward(
                      model,
                      seq,
                      positions,
                      rope,
                      1f / cfg.batch(),
                      cfg.activationCheckpointing(),
                      item.lossFrom());
            }
            tokens += seq.length;
            sequence++;
          }
          trainLoss = loss / cfg.batch();
          double lr = Schedule.lr(cfg.optimizer(), step, cfg.steps());
          double gradNorm = adam.update(params, lr);
          double tokS = tokens / ((System.nanoTime() - t0) / 1e9);
          listener.step(step, cfg.steps(), trainLoss, lr, tokS);
          ObjectNode line = Json.MAPPER.createObjectNode();
          line.put("step", step).put("loss", trainLoss).put("lr", lr).put("grad_norm", gradNorm);
          line.put("tokens_per_second", tokS);
          if (mixed != null) {
            line.put("packed_sequences", packed);
          }
          if (step % cfg.evalEvery() == 0 || step == cfg.steps()) {
            valLoss = validationLoss(model, validation, rope);
            line.put("validation_loss", valLoss);
            listener.validation(step, valLoss);
            if (probe != null) {
              PasskeyProbe.Result p = probe.run(model, rope);
              line.put("passkey_accuracy", p.accuracy());
              line.put("passkey_answer_nll", p.answerNll());
              listener.passkey(step, p.accuracy(), p.answerNll());
            }
          }
          appendLog(out.resolve("log.jsonl"), line);
          if (step % cfg.checkpointEvery() == 0 || step == cfg.steps()) {
            State s = new State(step, sequence, trainLoss, valLoss);
            Path saved =
                checkpoints.save(
                    step,
                    s,
                    dir -> {
                      HfModel.write(
                          dir, model.config(), model.weights(), SafetensorsFile.Dtype.F32);
                      adam.save(dir.resolve("optimizer.safetensors"));
                    },
                    cfg.keepCheckpoints());
            listener.checkpoint(step, saved);
          }
        }
        Path finalDir = out.resolve("final");
        HfModel.write(finalDir, config.withRope(rope), model.weights(), SafetensorsFile.Dtype.F32);
        copyTokenizer(cfg, finalDir);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(
            out,
            cfg.steps(),
            resumedFrom,
            trainLoss,
            valLoss,
            seconds > 0 ? tokens / seconds : 0,
            finalDir);
      }
    }
  }

  private static ModelConfig modelConfig(TrainConfig cfg) {
    if (cfg.model().init() != null) {
      return HfModelConfig.read(Path.of(cfg.model().init())).config();
    }
    return HfModelConfig.parse(cfg.model().config(), null, "train config model.config").config();
  }

  private static Decoder initialModel(TrainConfig cfg, ModelConfig config) {
    if (cfg.model().init() != null) {
      return HfModel.load(Path.of(cfg.model().init()), config);
    }
    return Decoder.load(config, new RandomWeights(config, cfg.seed(), cfg.model().initStd()));
  }

  private static Batches batches(TrainConfig cfg, ModelConfig config, int[] answers) {
    List<Documents> text = new ArrayList<>();
    for (String p : cfg.data().train()) {
      text.add(TokenFile.open(Path.of(p)));
    }
    Documents passkey =
        cfg.data().passkey() == null ? null : TokenFile.open(Path.of(cfg.data().passkey()));
    return new Batches(
        text,
        passkey,
        cfg.data().passkeyFraction(),
        answers,
        cfg.context(),
        config.bosTokenId(),
        cfg.seed());
  }

  /** The mixed-window sequences of a run with {@code mixed}, else null. */
  private static MixedBatches mixed(TrainConfig cfg, ModelConfig config, Batches batches) {
    TrainConfig.MixedSpec m = cfg.mixed();
    if (m == null) {
      return null;
    }
    int shortLength = m.shortLength() != null ? m.shortLength() : config.originalLength();
    if (shortLength > cfg.context()) {
      throw new IllegalArgumentException(
          "train config: key 'mixed.short_length': the model's original length "
              + shortLength
              + " exceeds context "
              + cfg.context()
              + "; give mixed.short_length");
    }
    List<Documents> sources = new ArrayList<>();
    for (String p : m.shortData() != null ? m.shortData() : cfg.data().train()) {
      sources.add(TokenFile.open(Path.of(p)));
    }
    return new MixedBatches(
        batches,
        sources,
        shortLength,
        cfg.context(),
        config.bosTokenId(),
        m.shortFraction(),
        cfg.seed());
  }

  /** The first {@code eval_sequences} non-overlapping windows of the validation files. */
  private static List<int[]> validation(TrainConfig cfg, ModelConfig config) {
    List<int[]> out = new ArrayList<>();
    if (cfg.data().validation() == null) {
      return out;
    }
    Batches v =
        new Batches(
            List.of(TokenFile.open(Path.of(cfg.data().validation()))),
            null,
            0,
            cfg.context(),
            config.bosTokenId(),
            0);
    for (int i = 0; i < Math.min(cfg.evalSequences(), v.size()); i++) {
      out.add(v.sequence(i));
    }
    return out;
  }

  private static double validationLoss(Decoder model, List<int[]> sequences, RopeScaling rope) {
    if (sequences.isEmpty()) {
      return Double.NaN;
    }
    double sum = 0;
    for (int[] s : sequences) {
      double[] nll = model.nll(s, rope, 0);
      double m = 0;
      for (double x : nll) {
        m += x;
      }
      sum += m / nll.length;
    }
    return sum / sequences.size();
  }

  private static State restore(Path dir, Map<String, NDArray> params, AdamW adam) {
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        e.getValue().set(f.floats(e.getKey()));
      }
    }
    adam.load(dir.resolve("optimizer.safetensors"));
    JsonNode s = Json.readObject(dir.resolve(Checkpoints.STATE));
    return new State(
        s.get("step").asLong(),
        s.get("sequence").asLong(),
        s.path("trainLoss").asDouble(Double.NaN),
        s.path("validationLoss").asDouble(Double.NaN));
  }

  private static void writeResolvedConfig(TrainConfig cfg, Path out) {
    Path file = out.resolve("config.json");
    String text = cfg.toJson();
    if (Files.exists(file)) {
      TrainConfig previous = TrainConfig.read(file);
      // only the step count may change between a run and its resumption
      // a run that never reached its first checkpoint (a config that failed on its data, say)
      // has nothing to resume: a corrected config replaces it instead of being refused
      if (!previous.withSteps(cfg.steps()).toJson().equals(text)
          && new Checkpoints(out).latest().isPresent()) {
        throw new FormatException(
            file.toString(),
            "",
            "this run directory holds a run with a different config; resuming needs the same"
                + " config (only 'steps' may change): use a new output directory");
      }
    }
    AtomicFiles.writeString(file, text);
  }

  private static void appendLog(Path log, ObjectNode line) {
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log, line.toString() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * On resume, keeps the log lines up to the checkpoint's step (later ones will be replayed) and
   * drops a last line cut short by a kill mid-write.
   */
  private static void truncateLog(Path log, long step) {
    if (!Files.exists(log)) {
      return;
    }
    try {
      StringBuilder kept = new StringBuilder();
      for (String line : Files.readAllLines(log)) {
        JsonNode entry;
        try {
          entry = Json.parseObject(line, log.toString());
        } catch (FormatException e) {
          break;
        }
        if (entry.path("step").asLong() <= step) {
          kept.append(line).append('\n');
        }
      }
      AtomicFiles.writeString(log, kept.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code model.tokenizer}, else the init model's {@code tokenizer.json}, else null. */
  static Path tokenizerSource(TrainConfig cfg) {
    String tok = cfg.model().tokenizer();
    return tok != null
        ? Path.of(tok)
        : cfg.model().init() != null ? Path.of(cfg.model().init(), "tokenizer.json") : null;
  }

  private static void copyTokenizer(TrainConfig cfg, Path finalDir) {
    Path source = tokenizerSource(cfg);
    if (source == null || !Files.isRegularFile(source)) {
      return;
    }
    try {
      Files.copy(source, finalDir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
      Path tc = source.resolveSibling("tokenizer_config.json");
      if (Files.isRegularFile(tc)) {
        Files.copy(
            tc, finalDir.resolve("tokenizer_config.json"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
