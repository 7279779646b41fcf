package io.github.longrope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.eval.PasskeyGrid;
import io.github.longrope.eval.TextCodec;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.KvCache;
import io.github.longrope.report.Charts;
import io.github.longrope.report.Markdown;
import io.github.longrope.report.ReportFiles;
import io.github.longrope.report.TableJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Table;

/** {@code longrope passkey}: passkey retrieval over lengths × depths (official LongRoPE prompt). */
@Command(
    name = "passkey",
    mixinStandardHelpOptions = true,
    description = {
      "Passkey retrieval (official LongRoPE protocol: filler, needle 'The pass key is K.',",
      "3.65 characters per token, greedy with the KV cache, first integer of up to 10 new tokens)",
      "over context lengths × needle depths; rows {length, depth, trials, correct}."
    })
public final class PasskeyCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Mixin JsonOption json;

  @ArgGroup(
      validate = false,
      heading = "%nRoPE scaling (overrides the checkpoint's rope_scaling):%n")
  RopeOptions rope = new RopeOptions();

  @Option(
      names = "--lengths",
      required = true,
      split = ",",
      paramLabel = "N",
      description = "Target context lengths in tokens, e.g. 256,512,1024.")
  int[] lengths;

  @Option(
      names = "--depths",
      paramLabel = "N",
      description =
          "N needle depths evenly from 0%% to 100%% (default 0: the official uniformly random depth).")
  int depths;

  @Option(names = "--trials", paramLabel = "N", description = "Prompts per cell (default 10).")
  int trials = 10;

  @Option(names = "--seed", paramLabel = "S", description = "RNG seed (default 42, official).")
  long seed = PasskeyGrid.SEED;

  @Option(
      names = "--max-new-tokens",
      paramLabel = "N",
      description = "Tokens generated per answer (default 10).")
  int maxNewTokens = PasskeyGrid.MAX_NEW_TOKENS;

  @Option(
      names = "--policy",
      paramLabel = "P",
      description =
          "KV cache and a length-dependent RoPE: recompute (HF semantics, default) or fixed"
              + " (the table of the longest length from the first token).")
  String policy = "recompute";

  @Option(
      names = "--fit",
      description =
          "Size each prompt by tokens: the longest filler for which BOS + prompt + answer fit the"
              + " length exactly (in-window retrieval), instead of the official 3.65 characters per"
              + " token.")
  boolean fit;

  @Option(
      names = "--log",
      paramLabel = "FILE",
      description = "Write one JSON line per trial (prompt, passkey, answer) to FILE.")
  Path log;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Write passkey.csv and, with --depths, the heat map passkey.png to DIR.")
  Path out;

  @Spec CommandSpec spec;

  static KvCache.Policy policy(String text) {
    try {
      return KvCache.Policy.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--policy: expected recompute or fixed, got '" + text + "'", e);
    }
  }

  @Override
  public Integer call() {
    model.configureEngine();
    ModelSetup setup = ModelSetup.resolve(model, rope);
    PasskeyGrid grid =
        new PasskeyGrid(
            Arrays.stream(lengths).boxed().toList(),
            PasskeyGrid.evenDepths(depths),
            trials,
            seed,
            maxNewTokens,
            policy(policy),
            fit ? PasskeyGrid.Sizing.FIT : PasskeyGrid.Sizing.OFFICIAL);
    setup.printWarnings(spec.commandLine().getErr());
    PasskeyGrid.Result result;
    try (HfTokenizer tokenizer = HfTokenizer.load(model.model);
        Decoder decoder = setup.load(model);
        TrialLog trialLog = new TrialLog(log);
        Progress bar = new Progress("passkey", grid.totalTrials())) {
      result =
          grid.run(
              decoder,
              setup.scaling(),
              TextCodec.of(tokenizer),
              (done, total, t) -> {
                trialLog.write(t);
                bar.stepTo(done);
              });
    }
    Table cells = result.table();
    if (out != null) {
      ReportFiles.writeCsv(cells, out.resolve("passkey.csv"));
      if (depths > 0) {
        ReportFiles.writePng(
            Charts.passkeyHeatMap(
                cells,
                "passkey: " + model.model.getFileName() + ", rope " + setup.scaling().typeName()),
            out.resolve("passkey.png"));
      }
    }
    PrintWriter w = spec.commandLine().getOut();
    if (json.enabled()) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("model", model.model.toString());
      o.set("rope_scaling", HfRopeConfig.toJson(setup.scaling()));
      o.put("policy", grid.policy().name().toLowerCase(Locale.ROOT));
      o.put("sizing", grid.sizing().name().toLowerCase(Locale.ROOT));
      o.put("seed", seed);
      o.put("max_new_tokens", maxNewTokens);
      o.set("rows", TableJson.rows(cells));
      o.put("accuracy", result.accuracy());
      o.set("warnings", Json.MAPPER.valueToTree(setup.warnings()));
      w.print(Json.write(o));
    } else {
      w.printf(
          Locale.ROOT,
          "model %s, rope %s, %s%s, %d trials per cell: accuracy %.3f%n%n%s",
          model.model,
          setup.scaling().typeName(),
          fit ? "prompts fitted to each length, " : "",
          grid.randomDepth() ? "random depth" : depths + " depths",
          trials,
          result.accuracy(),
          Markdown.table(cells));
    }
    w.flush();
    return 0;
  }

  /** One JSON line per trial, flushed as it goes (a stopped run keeps what it did). */
  static final class TrialLog implements AutoCloseable {
    private final BufferedWriter writer;

    TrialLog(Path file) {
      try {
        if (file != null && file.toAbsolutePath().getParent() != null) {
          Files.createDirectories(file.toAbsolutePath().getParent());
        }
        this.writer = file == null ? null : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }

    void write(PasskeyGrid.Trial t) {
      if (writer == null) {
        return;
      }
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("length", t.length());
      if (Double.isNaN(t.depth())) {
        o.putNull("depth");
      } else {
        o.put("depth", t.depth() * 100);
      }
      o.put("trial", t.index());
      o.put("passkey", t.prompt().passkey());
      o.put("prefix_chars", t.prompt().prefixChars());
      o.put("budget_chars", t.prompt().budgetChars());
      o.put("prompt_tokens", t.promptTokens());
      o.put("answer_text", t.answerText());
      o.put("answer", t.answer());
      o.put("correct", t.correct());
      o.put("seconds", t.seconds());
      o.put("prompt", t.prompt().text());
      try {
        writer.write(o.toString());
        writer.write('\n');
        writer.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the trial log: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      if (writer != null) {
        try {
          writer.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
