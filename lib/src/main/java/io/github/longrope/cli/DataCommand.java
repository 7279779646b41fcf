package io.github.longrope.cli;

import io.github.longrope.data.DatasetBuilder;
import io.github.longrope.data.DatasetReport;
import io.github.longrope.data.DebianSource;
import io.github.longrope.data.Mixtures;
import io.github.longrope.data.PasskeyMixture;
import io.github.longrope.data.Recipe;
import io.github.longrope.data.Recipes;
import io.github.longrope.data.UserData;
import io.github.longrope.eval.PasskeyPrompt;
import io.github.longrope.io.FormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code longrope data}: dataset preparation. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    subcommands = {DataCommand.Prepare.class})
public final class DataCommand implements Runnable {
  @Override
  public void run() {
    throw new IllegalArgumentException("choose a data command: data prepare");
  }

  /** {@code longrope data prepare}. */
  @Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false)
  public static final class Prepare implements Callable<Integer> {
    @Mixin JsonOption json;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = "--input", paramLabel = "PATH")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--field", paramLabel = "NAME")
    String field = "text";

    @Option(names = "--output", paramLabel = "DIR/NAME")
    Path output;

    @Option(names = "--tokenizer", paramLabel = "FILE")
    Path tokenizer;

    @Option(names = "--datasets", paramLabel = "DIR")
    Path datasets;

    @Option(names = "--cache", paramLabel = "DIR")
    Path cache;

    @Option(names = "--refresh")
    boolean refresh;

    @Option(names = "--no-verify")
    boolean noVerify;

    @Option(names = "--count", paramLabel = "N")
    Integer count;

    @Option(names = "--length", paramLabel = "N")
    Integer length;

    @Option(names = "--min-length", paramLabel = "N")
    Integer minLength;

    /** passkey, recall. */
    @Mixin SeedOption seed = new SeedOption(0);

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      boolean passkey = "passkey".equals(name);
      boolean recall = "recall".equals(name);
      boolean seedGiven = spec.commandLine().getParseResult().hasMatchedOption("--seed");
      if (!passkey && !recall && (count != null || length != null || seedGiven)) {
        throw new IllegalArgumentException(
            "--count, --length and --seed are for passkey and recall");
      }
      if (!passkey && minLength != null) {
        throw new IllegalArgumentException("--min-length is for 'passkey'");
      }
      if (name == null && inputs.isEmpty()) {
        throw new IllegalArgumentException(
            "give a dataset NAME (corpus, passkey) or --input PATH --output DIR/NAME");
      }
      if (name != null && !inputs.isEmpty()) {
        throw new IllegalArgumentException("give either a dataset NAME or --input, not both");
      }
      if (name != null && !passkey && !recall && !Recipes.NAMES.contains(name)) {
        throw new IllegalArgumentException(
            "unknown dataset '"
                + name
                + "': choose "
                + String.join(", ", Recipes.NAMES)
                + ", passkey or recall (or tokenize your own files with --input PATH)");
      }
      Path ds = datasetsDir();
      Path tok = tokenizer != null ? tokenizer : ds.resolve("tokenizer/tokenizer.json");
      if (!Files.isRegularFile(tok)) {
        throw new FormatException(
            tok.toString(), "", "tokenizer not found (give one with --tokenizer FILE)");
      }
      try (Bars bars = new Bars(json.err(), "data: ")) {
        if (!inputs.isEmpty()) {
          if (output == null) {
            throw new IllegalArgumentException("--input needs --output DIR/NAME");
          }
          UserData.Config c = new UserData.Config(inputs, field, output, tok);
          UserData.Result r = UserData.run(c, bars);
          json.print(r, r::text);
        } else if (passkey) {
          int window = length == null ? 256 : length;
          PasskeyMixture.Config c =
              new PasskeyMixture.Config(
                  count == null ? 4096 : count,
                  window,
                  minLength != null ? minLength : window,
                  seed.value());
          Mixtures.Report r = Mixtures.passkey(c, PasskeyPrompt.TEMPLATE, tok, ds, output, bars);
          json.print(r, r::text);
        } else if (recall) {
          int n = count == null ? 6000 : count;
          int window = length == null ? 256 : length;
          Mixtures.Report r = Mixtures.recall(n, window, seed.value(), tok, ds, output);
          json.print(r, r::text);
        } else {
          DatasetReport r = DatasetReport.of(corpus(ds, tok, bars));
          json.print(r, r::text);
        }
      }
      return 0;
    }

    private DatasetBuilder.Result corpus(Path ds, Path tok, Bars bars) {
      if (output != null) {
        throw new IllegalArgumentException(
            "--output is for --input and passkey; built-in datasets go to --datasets DIR");
      }
      Recipe recipe = Recipes.byName(name);
      Path cacheDir = cache != null ? cache : ds.resolve(".cache");
      return DatasetBuilder.run(
          new DatasetBuilder.Config(
              recipe, ds.resolve(recipe.name()), cacheDir.resolve("text"), tok, !noVerify),
          new DebianSource(cacheDir, refresh, bars::message),
          bars);
    }

    private Path datasetsDir() {
      if (datasets != null) {
        return datasets;
      }
      String home = System.getProperty("longrope.home");
      return (home != null ? Path.of(home) : Path.of("")).toAbsolutePath().resolve("datasets");
    }
  }
}
