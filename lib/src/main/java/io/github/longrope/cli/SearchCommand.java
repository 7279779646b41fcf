package io.github.longrope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.search.RopeTarget;
import io.github.longrope.search.SearchConfig;
import io.github.longrope.search.run.SearchEngine;
import io.github.longrope.search.run.SearchJob;
import io.github.longrope.search.run.SearchReport;
import io.github.longrope.search.run.SearchSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code longrope search}: the LongRoPE evolution search of RoPE rescale factors on a model
 * directory, with a resumable run directory.
 */
@Command(name = "search", mixinStandardHelpOptions = true)
public final class SearchCommand implements Callable<Integer> {
  @Mixin JsonOption json;

  @Option(names = "--model", paramLabel = "DIR")
  Path model;

  @Option(names = "--data", paramLabel = "PATH")
  Path data;

  @Option(names = "--field", paramLabel = "NAME")
  String field;

  @Option(names = "--target-length", paramLabel = "N")
  Integer targetLength;

  @Option(names = "--config", paramLabel = "FILE")
  Path config;

  @Option(names = "--run", required = true, paramLabel = "DIR")
  Path run;

  @Option(names = "--resume")
  boolean resume;

  @Option(names = "--accept-changed-inputs")
  boolean acceptChangedInputs;

  @Option(names = "--workers", paramLabel = "K")
  Integer workers;

  @Option(names = "--mode", paramLabel = "MODE")
  String mode;

  @Option(names = "--init", split = ",", paramLabel = "SRC")
  List<String> init;

  @Option(names = "--init-file", paramLabel = "FILE")
  Path initFile;

  @Option(names = "--auto-rescale")
  Boolean autoRescale;

  @Option(names = "--seed", paramLabel = "N")
  Long seed;

  @Option(names = "--fitness", paramLabel = "KIND")
  String fitness;

  @Option(names = "--samples", paramLabel = "N")
  Integer samples;

  @Option(names = "--min-tokens", paramLabel = "N")
  Integer minTokens;

  @Option(names = "--no-truncate")
  Boolean noTruncate;

  @Option(names = "--split-documents")
  Boolean splitDocuments;

  @Option(names = "--mscale", paramLabel = "POLICY")
  String mscale;

  @Mixin EngineOptions engine;

  @Spec CommandSpec commandSpec;

  @Mixin SearchEngineOptions where;

  @Override
  public Integer call() {
    engine.configureEngine();
    if (!engine.device.equals("auto")) {
      // the engine places decoders (local: --devices, else the first GPU if present, else the
      // CPU; Spark: the GPU the scheduler assigned), so a single --device would be ambiguous
      throw new IllegalArgumentException(
          "--device: search places its decoders with --devices (e.g. --devices "
              + engine.device
              + "; default: the first GPU when present, else the CPU; with --engine spark the GPU"
              + " Spark assigns); leave --device out");
    }
    SearchEngine on = where.engine();
    int decoders = on.decoders(workers); // --workers and --devices agree, checked before reading
    List<String> warnings = new ArrayList<>();
    SearchSpec s = spec(warnings);
    json.warn(warnings);
    SearchJob.Outcome o =
        Progress.run(
            "search",
            1,
            bar ->
                SearchJob.run(
                    s,
                    run,
                    resume,
                    acceptChangedInputs,
                    on,
                    decoders,
                    engine.attentionChunk(),
                    bar.searchListener()));
    json.warn(o.warnings());
    SearchReport r = SearchReport.of(o, s);
    return json.report(r, r::text);
  }

  /**
   * The spec of this run: a new one from the flags, or on {@code --resume} the stored one with
   * every flag given on the command line applied on top.
   */
  private SearchSpec spec(List<String> warnings) {
    SearchSpec.Builder b;
    SearchConfig c;
    double[] initFactors = null;
    if (resume) {
      SearchSpec s = SearchSpec.read(run, "nothing to resume in");
      b = s.toBuilder();
      c = config == null ? s.search() : SearchConfig.read(config);
      initFactors = s.initFactors();
    } else {
      if (model == null || data == null || targetLength == null) {
        throw new IllegalArgumentException(
            "a new search needs --model, --data and --target-length (or --resume)");
      }
      b = SearchSpec.builder(model, data, targetLength, null);
      c = config == null ? SearchConfig.defaults("dim_mono") : SearchConfig.read(config);
      if (init == null && initFile == null && c.initFile() != null) {
        // a config's init_file is relative to the config
        Path f = config.toAbsolutePath().getParent().resolve(c.initFile());
        initFactors = SearchJob.readInitFile(Files.exists(f) ? f : Path.of(c.initFile()), warnings);
      }
    }
    if (init != null || initFile != null) {
      List<String> sources = new ArrayList<>(init == null ? List.of() : init);
      if (initFile != null) {
        sources.add("file");
        initFactors = SearchJob.readInitFile(initFile, warnings);
      }
      c = c.withInit(sources, initFile == null ? null : initFile.toString());
    }
    if (autoRescale != null) {
      c = withAutoRescale(c, autoRescale);
    }
    if (seed != null) {
      c = c.withSeed(seed);
    }
    Flags.ifGiven(model, b::model);
    Flags.ifGiven(data, b::data);
    Flags.ifGiven(targetLength, b::targetLength);
    Flags.ifGiven(field, b::field);
    Flags.ifGiven(mode, m -> b.mode(Flags.choice("--mode", m, RopeTarget.Mode.class)));
    Flags.ifGiven(
        fitness, f -> b.fitness(Flags.choice("--fitness", f, SearchSpec.FitnessKind.class)));
    Flags.ifGiven(samples, b::samples);
    Flags.ifGiven(minTokens, b::minTokens);
    Flags.ifGiven(noTruncate, t -> b.truncate(!t));
    Flags.ifGiven(splitDocuments, b::splitDocuments);
    Flags.ifGiven(mscale, b::magnitude);
    if (!resume || commandSpec.commandLine().getParseResult().hasMatchedOption("--dtype")) {
      // a resume keeps the stored dtype unless --dtype is given (a different one is refused)
      b.precision(engine.precision());
    }
    return b.search(c).initFactors(initFactors).build();
  }

  private static SearchConfig withAutoRescale(SearchConfig c, boolean on) {
    ObjectNode o = c.toJson();
    o.put("auto_rescale", on);
    return SearchConfig.parse(o.toString(), "--auto-rescale");
  }
}
