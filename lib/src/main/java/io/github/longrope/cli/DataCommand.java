package io.github.longrope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.DatasetBuilder;
import io.github.longrope.data.DebianPackage;
import io.github.longrope.data.DebianSource;
import io.github.longrope.data.Hashes;
import io.github.longrope.data.PasskeyMixture;
import io.github.longrope.data.RecallMixture;
import io.github.longrope.data.Recipe;
import io.github.longrope.data.Recipes;
import io.github.longrope.data.UserData;
import io.github.longrope.eval.PasskeyPrompt;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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
    description = "Datasets: build the corpora offline and reproducibly, or tokenize your own.",
    subcommands = {DataCommand.Prepare.class})
public final class DataCommand implements Runnable {
  @Override
  public void run() {
    throw new IllegalArgumentException("choose a data command: data prepare");
  }

  /**
   * Runs {@code data …} before the command is registered in {@link Main}: {@code java -cp …
   * io.github.longrope.cli.DataCommand prepare corpus}.
   */
  public static void main(String[] args) {
    List<String> a = new ArrayList<>(List.of(args));
    if (a.isEmpty() || !a.get(0).equals("data")) {
      a.add(0, "data");
    }
    System.exit(commandLine().execute(a.toArray(new String[0])));
  }

  /** {@link Main}'s command line, with {@code data} added when it is not registered yet. */
  static CommandLine commandLine() {
    CommandLine cl = Main.commandLine();
    if (!cl.getSubcommands().containsKey("data")) {
      cl.addSubcommand(new DataCommand());
    }
    return cl;
  }

  /** {@code longrope data prepare}. */
  @Command(
      name = "prepare",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Builds a dataset into datasets/NAME/ (data/SPLIT.bin/.idx, README.md):",
        "  corpus   free texts from Debian packages (apt-get download, dpkg-deb -x,",
        "           converted in Java, sha256-pinned); splits train, valid,",
        "           search, eval-books, eval-prose, eval-python, eval-math",
        "  passkey  synthetic passkey sequences for a training mixture",
        "  recall   synthetic repeated random-token spans (in-context copying) for a mixture",
        "or tokenizes your own files: --input PATH --output DIR/NAME.",
        "Progress goes to stderr."
      })
  public static final class Prepare implements Callable<Integer> {
    @Mixin JsonOption json;

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "NAME",
        description = "corpus, passkey or recall (leave out with --input).")
    String name;

    @Option(
        names = "--input",
        paramLabel = "PATH",
        description =
            "Your data: .txt/.txt.gz (one document per file), .jsonl/.jsonl.gz (one per line),"
                + " or a folder of them (recursive). Repeatable.")
    List<Path> inputs = new ArrayList<>();

    @Option(
        names = "--field",
        paramLabel = "NAME",
        description = "Text field of .jsonl (default text).")
    String field = "text";

    @Option(
        names = "--output",
        paramLabel = "DIR/NAME",
        description =
            "Token file prefix: writes DIR/NAME.bin + DIR/NAME.idx (required with --input;"
                + " for passkey, instead of datasets/passkey/data/train).")
    Path output;

    @Option(
        names = "--tokenizer",
        paramLabel = "FILE",
        description = "tokenizer.json (default datasets/tokenizer/tokenizer.json).")
    Path tokenizer;

    @Option(
        names = "--datasets",
        paramLabel = "DIR",
        description = "Datasets folder (default the repository's datasets/).")
    Path datasets;

    @Option(
        names = "--cache",
        paramLabel = "DIR",
        description = "Package and text cache (default DATASETS/.cache).")
    Path cache;

    @Option(names = "--refresh", description = "Download the packages again (newest version).")
    boolean refresh;

    @Option(
        names = "--no-verify",
        description = "Report text hashes that differ from the pins instead of failing.")
    boolean noVerify;

    @Option(
        names = "--count",
        paramLabel = "N",
        description = "passkey, recall: number of sequences (default 4096, 6000).")
    Integer count;

    @Option(
        names = "--length",
        paramLabel = "N",
        description =
            "passkey, recall: training window incl. BOS (default 256); sequences get ≤ N−1"
                + " tokens.")
    Integer length;

    @Option(
        names = "--min-length",
        paramLabel = "N",
        description =
            "passkey: draw each sequence's window uniformly in [N, --length] (default: all fill"
                + " --length).")
    Integer minLength;

    @Option(
        names = "--seed",
        paramLabel = "S",
        description = "passkey, recall: RNG seed (default 0).")
    Long seed;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      boolean passkey = "passkey".equals(name);
      boolean recall = "recall".equals(name);
      if (!passkey && !recall && (count != null || length != null || seed != null)) {
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
      try (Bars bars = new Bars(spec.commandLine().getErr())) {
        ObjectNode report;
        String text;
        if (!inputs.isEmpty()) {
          if (output == null) {
            throw new IllegalArgumentException("--input needs --output DIR/NAME");
          }
          UserData.Result r = UserData.run(new UserData.Config(inputs, field, output, tok), bars);
          report = userJson(r);
          text = userText(r);
        } else if (passkey) {
          PasskeyMixture.Config c =
              new PasskeyMixture.Config(
                  count == null ? 4096 : count,
                  length == null ? 256 : length,
                  minLength != null ? minLength : length == null ? 256 : length,
                  seed == null ? 0 : seed);
          report = passkey(c, ds, tok, bars);
          text = mixtureText(report);
        } else if (recall) {
          report = recall(ds, tok);
          text = mixtureText(report);
        } else {
          if (output != null) {
            throw new IllegalArgumentException(
                "--output is for --input and passkey; built-in datasets go to --datasets DIR");
          }
          Recipe recipe = Recipes.byName(name);
          Path cacheDir = cache != null ? cache : ds.resolve(".cache");
          DatasetBuilder.Result r =
              DatasetBuilder.run(
                  new DatasetBuilder.Config(
                      recipe, ds.resolve(recipe.name()), cacheDir.resolve("text"), tok, !noVerify),
                  new DebianSource(cacheDir, refresh, bars::message),
                  bars);
          report = datasetJson(r);
          text = datasetText(r);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json.enabled() ? Json.write(report) : text);
        out.flush();
      }
      return 0;
    }

    private Path datasetsDir() {
      if (datasets != null) {
        return datasets;
      }
      String home = System.getProperty("longrope.home");
      return (home != null ? Path.of(home) : Path.of("")).toAbsolutePath().resolve("datasets");
    }

    private ObjectNode recall(Path ds, Path tok) {
      long t0 = System.nanoTime();
      RecallMixture r =
          RecallMixture.of(
              count == null ? 6000 : count,
              length == null ? 256 : length,
              vocabSize(tok),
              seed == null ? 0 : seed);
      List<int[]> sequences = r.generate();
      Path prefix = output != null ? output : ds.resolve("recall/data/train");
      RecallMixture.write(prefix, sequences);
      if (output == null) {
        AtomicFiles.writeString(ds.resolve("recall/README.md"), r.readme(sequences));
      }
      return mixtureJson("recall", prefix, sequences, r.length(), r.seed(), t0);
    }

    /** The report of a synthetic mixture (passkey, recall): files, counts, lengths, time. */
    static ObjectNode mixtureJson(
        String dataset, Path prefix, List<int[]> sequences, int length, long seed, long t0) {
      ObjectNode o = Json.MAPPER.createObjectNode();
      o.put("dataset", dataset);
      o.put("file", prefix + ".bin");
      o.put("documents", sequences.size());
      o.put("tokens", sequences.stream().mapToLong(q -> q.length).sum());
      o.put("min_tokens", sequences.stream().mapToInt(q -> q.length).min().orElse(0));
      o.put("max_tokens", sequences.stream().mapToInt(q -> q.length).max().orElse(0));
      o.put("length", length);
      o.put("seed", seed);
      o.put("seconds", (System.nanoTime() - t0) / 1e9);
      return o;
    }

    /** Entries of the tokenizer's {@code model.vocab} plus its added tokens. */
    static int vocabSize(Path tok) {
      JsonNode t = Json.readObject(tok);
      JsonNode vocab = t.path("model").path("vocab");
      if (!vocab.isObject() || vocab.size() == 0) {
        throw new FormatException(tok.toString(), "model.vocab", "no vocabulary object");
      }
      int max = vocab.size();
      for (JsonNode added : t.path("added_tokens")) {
        max = Math.max(max, added.path("id").asInt() + 1);
      }
      return max;
    }

    private ObjectNode passkey(PasskeyMixture.Config c, Path ds, Path tok, Bars bars) {
      Path prefix = output != null ? output : ds.resolve("passkey/data/train");
      List<PasskeyMixture.Sample> samples;
      long t0 = System.nanoTime();
      try (HfTokenizer t = HfTokenizer.load(tok)) {
        samples =
            PasskeyMixture.generate(
                c,
                PasskeyPrompt.TEMPLATE,
                t::encode,
                done -> bars.progress("passkey", done, c.count()));
      }
      PasskeyMixture.write(prefix, samples);
      String tokSha;
      try {
        tokSha = Hashes.sha256(Files.readAllBytes(tok));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + tok + ": " + e.getMessage(), e);
      }
      if (output == null) {
        AtomicFiles.writeString(
            ds.resolve("passkey/README.md"), PasskeyMixture.readme(c, samples, tokSha, "train"));
      }
      List<int[]> tokens = samples.stream().map(PasskeyMixture.Sample::tokens).toList();
      return mixtureJson("passkey", prefix, tokens, c.length(), c.seed(), t0);
    }
  }

  static ObjectNode datasetJson(DatasetBuilder.Result r) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("dataset", r.recipe().name());
    o.put("dir", r.dir().toString());
    o.put("tokenizer_sha256", r.tokenizerSha256());
    o.put("tokens", r.tokens());
    ArrayNode pk = o.putArray("packages");
    for (DebianPackage p : r.packages()) {
      pk.addObject().put("name", p.name()).put("version", p.version());
    }
    ObjectNode splits = o.putObject("splits");
    for (DatasetBuilder.SplitResult s : r.splits()) {
      splits
          .putObject(s.split().name())
          .put("file", s.prefix() + ".bin")
          .put("documents", s.documents().size())
          .put("tokens", s.tokens());
    }
    ArrayNode texts = o.putArray("texts");
    for (DatasetBuilder.TextResult t : r.texts()) {
      texts
          .addObject()
          .put("id", t.text().id())
          .put("package", t.source().name())
          .put("version", t.source().version())
          .put("chars", t.chars())
          .put("tokens", t.tokens())
          .put("sha256", t.sha256());
    }
    ObjectNode sec = o.putObject("seconds");
    sec.put("fetch", r.timings().fetch());
    sec.put("extract", r.timings().extract());
    sec.put("tokenize", r.timings().tokenize());
    sec.put("write", r.timings().write());
    return o;
  }

  static String datasetText(DatasetBuilder.Result r) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "dataset %s in %s: %,d tokens%n%-12s %9s %12s%n",
            r.recipe().name(),
            r.dir(),
            r.tokens(),
            "split",
            "documents",
            "tokens"));
    for (DatasetBuilder.SplitResult s : r.splits()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-12s %9d %,12d%n",
              s.split().name(),
              s.documents().size(),
              s.tokens()));
    }
    DatasetBuilder.Timings t = r.timings();
    sb.append(
        String.format(
            Locale.ROOT,
            "seconds: fetch %.1f, extract %.1f, tokenize %.1f, write %.1f%n",
            t.fetch(),
            t.extract(),
            t.tokenize(),
            t.write()));
    return sb.toString();
  }

  static ObjectNode userJson(UserData.Result r) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("file", r.output() + ".bin");
    o.put("files", r.files());
    o.put("documents", r.documents());
    o.put("tokens", r.tokens());
    o.put("skipped_empty", r.skippedEmpty());
    o.put("seconds", r.seconds());
    return o;
  }

  static String userText(UserData.Result r) {
    return String.format(
        Locale.ROOT,
        "%s.bin: %d documents, %,d tokens from %d file(s) (%d empty skipped) in %.1f s%n",
        r.output(),
        r.documents(),
        r.tokens(),
        r.files(),
        r.skippedEmpty(),
        r.seconds());
  }

  static String mixtureText(ObjectNode o) {
    return String.format(
        Locale.ROOT,
        "%s: %d %s sequences, %,d tokens (%d to %d each, window %d) in %.1f s%n",
        o.get("file").asText(),
        o.get("documents").asInt(),
        o.get("dataset").asText(),
        o.get("tokens").asLong(),
        o.get("min_tokens").asInt(),
        o.get("max_tokens").asInt(),
        o.get("length").asInt(),
        o.get("seconds").asDouble());
  }

  /** Stage messages and one progress bar per long step, on stderr. */
  static final class Bars implements DatasetBuilder.Listener, AutoCloseable {
    private final PrintWriter err;
    private final String prefix;
    private final Map<String, Progress> bars = new HashMap<>();

    Bars(PrintWriter err) {
      this(err, "data: ");
    }

    /** Messages start with {@code prefix} (the command's name). */
    Bars(PrintWriter err, String prefix) {
      this.err = err;
      this.prefix = prefix;
    }

    @Override
    public synchronized void message(String text) {
      err.println(prefix + text);
      err.flush();
    }

    @Override
    public synchronized void progress(String task, long done, long total) {
      Progress bar = bars.computeIfAbsent(task, t -> new Progress(t, total));
      bar.stepTo(done);
      if (done >= total) {
        bar.close();
        bars.remove(task);
      }
    }

    @Override
    public synchronized void close() {
      bars.values().forEach(Progress::close);
      bars.clear();
    }
  }
}
