package io.github.longrope.search.run;

import static io.github.longrope.search.run.SearchRecordConfig.FINGERPRINTS;
import static io.github.longrope.search.run.SearchRecordConfig.LOCATIONS;
import static io.github.longrope.search.run.SearchRecordConfig.resolvedConfig;
import static io.github.longrope.search.run.SearchRecordConfig.upgradeLegacyRecord;
import static io.github.longrope.search.run.SearchRecordConfig.warnChangedInputs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.data.Documents;
import io.github.longrope.data.InMemoryDocuments;
import io.github.longrope.data.SplitDocuments;
import io.github.longrope.eval.Perplexity;
import io.github.longrope.eval.PerplexityWindows;
import io.github.longrope.io.FactorFile;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfRopeConfig;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import io.github.longrope.io.RunLock;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.Placement;
import io.github.longrope.rope.CriticalDimension;
import io.github.longrope.rope.FactorTable;
import io.github.longrope.rope.LongRopeScaling;
import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.search.Algorithm;
import io.github.longrope.search.CriticalDim;
import io.github.longrope.search.CriticalRange;
import io.github.longrope.search.Evaluator;
import io.github.longrope.search.EvolutionSearch;
import io.github.longrope.search.Fitness;
import io.github.longrope.search.InitialFactors;
import io.github.longrope.search.RopeTarget;
import io.github.longrope.search.RunRecord;
import io.github.longrope.search.SearchConfig;
import io.github.longrope.search.SearchListener;
import io.github.longrope.search.SearchProblem;
import io.github.longrope.search.SearchResult;
import io.github.longrope.search.SearchSpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A search on a model directory, from settings to run directory: the library call behind {@code
 * longrope search} (and notebooks).
 *
 * <pre>{@code
 * SearchJob.SearchSpec spec = SearchJob.SearchSpec.of(modelDir, dataFile, 2048, SearchConfig.read(cfg));
 * SearchJob.Outcome o =
 *     SearchJob.run(spec, Path.of("results/search-8x"), false, 1, 512, SearchListener.NONE);
 * o.result().factors();   // λ, also in results/search-8x/final/result_final.csv
 * }</pre>
 *
 * <p>It loads the model config, derives L, s and the base factors from the stage ({@link
 * RopeTarget.Mode}), opens the data, loads one decoder per worker, and runs {@link EvolutionSearch}
 * with a {@link RunRecord}. The resolved settings (spec, hyper-parameters and what was derived from
 * the model) are the run's {@code config.json}; a resume must match them. The result's HF {@code
 * rope_scaling} object goes to {@code final/rope_scaling.json}.
 */
public final class SearchJob {
  private SearchJob() {}

  /**
   * What a spec means for a model: the search problem and the RoPE template.
   *
   * @param config the model config
   * @param problem target, search scale, seeds, initial n̂
   * @param warnings seed repairs and similar notes
   */
  public record Plan(ModelConfig config, SearchProblem problem, List<String> warnings) {
    /** The derived values recorded in config.json (a changed model makes resume refuse). */
    public ObjectNode toJson() {
      ObjectNode o = Json.MAPPER.createObjectNode();
      RopeTarget t = problem.target();
      o.put("pairs", problem.pairs());
      o.put("rope_base", config.rope().base());
      o.put("original_length", t.originalLength());
      o.put("rope_scale", t.scale());
      o.put("search_scale", problem.searchScale());
      o.put("magnitude", t.magnitude().spelling());
      o.put("start_tokens", problem.startTokens());
      if (t.base() != null) {
        o.set("base_factors", Json.factors(t.base()));
      }
      ArrayNode seeds = o.putArray("seeds");
      for (InitialFactors.Seed s : problem.seeds()) {
        seeds.addObject().put("name", s.name()).set("factors", Json.array(s.factors()));
      }
      if (problem.critical() != null) {
        o.set("critical_dim", criticalJson(problem.critical()));
      }
      return o;
    }
  }

  /**
   * The critical dimension of a {@code critical_dim} run (or of a {@code cmaes} run's floor), as
   * config.json and the summary hold it.
   */
  static ObjectNode criticalJson(CriticalRange r) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("train_length", r.trainLength());
    o.put("d_tcd", r.theoreticalDims());
    o.put("d10_tcd", r.tenPeriodDims());
    o.put("theoretical_pair", r.theoreticalPair());
    o.put("ten_period_pair", r.tenPeriodPair());
    o.put("low", r.low());
    o.put("high", r.high());
    o.put("start", r.start());
    return o;
  }

  /**
   * The run's summary document: {@link RunRecord#summary} and, with a {@code critical_dim} object,
   * the range and (algorithm {@code critical_dim}) the critical pair found ({@code found_pair}, the
   * real critical dimension d_rcd in pairs).
   */
  static ObjectNode summary(SearchResult r, SearchProblem problem, SearchConfig cfg) {
    ObjectNode o = RunRecord.summary(r);
    if (problem.critical() != null) {
      ObjectNode c = criticalJson(problem.critical());
      if (cfg.algorithm().equals("critical_dim")) { // cmaes holds λ ≥ s from `start` on
        CriticalDim alg = (CriticalDim) Algorithm.of(cfg, problem);
        c.put("found_pair", alg.criticalPair(r.best().factors()));
      }
      o.set("critical_dim", c);
    }
    return o;
  }

  /**
   * The result, where it was written, the HF {@code rope_scaling} object of the best, and where the
   * candidates were evaluated ({@code engine}: its name, master, {@code workers} and, for the local
   * engine, the concrete {@code devices} of its decoders).
   */
  public record Outcome(
      SearchResult result,
      Path run,
      ObjectNode ropeScaling,
      List<String> warnings,
      ObjectNode summary,
      ObjectNode engine) {}

  /** Derives the search problem of a spec from the model config (no weights loaded). */
  public static Plan plan(SearchSpec spec) {
    HfModelConfig.Loaded loaded = HfModelConfig.read(spec.model());
    List<String> warnings = new ArrayList<>(loaded.warnings());
    ModelConfig c = loaded.config();
    SearchConfig cfg = spec.search();
    int target = spec.targetLength();
    Integer initialN = cfg.startTokens().initial();
    MagnitudeScaling given =
        spec.magnitude() == null ? null : MagnitudeScaling.parse(spec.magnitude());
    RopeTarget ropeTarget;
    double searchScale;
    int startTokens;
    switch (spec.mode()) {
      case LONG:
        {
          int original = c.originalLength();
          if (target <= original) {
            throw new IllegalArgumentException(
                "--target-length "
                    + target
                    + " must exceed the model's original length "
                    + original
                    + " for a long-factor search (use --mode short at or below it)");
          }
          double s = (double) target / original;
          ropeTarget =
              RopeTarget.longFactors(
                  original, s, given == null ? new MagnitudeScaling.Su() : given);
          searchScale = s;
          startTokens = initialN == null ? 0 : initialN;
          break;
        }
      case RELATIVE:
        {
          LongRopeScaling l = longRope(c, "relative");
          int fineTuned = l.targetLength();
          if (target <= fineTuned) {
            throw new IllegalArgumentException(
                "--target-length "
                    + target
                    + " must exceed the fine-tuned length "
                    + fineTuned
                    + " (L = "
                    + l.originalLength()
                    + ", s = "
                    + l.scale()
                    + ") for a second, relative search");
          }
          ropeTarget =
              RopeTarget.relative(
                  l.factors(),
                  l.originalLength(),
                  (double) target / l.originalLength(),
                  given == null ? l.magnitude() : given);
          searchScale = (double) target / fineTuned;
          startTokens = initialN == null ? l.startTokens() : initialN;
          break;
        }
      case SHORT:
        {
          LongRopeScaling l = longRope(c, "short");
          if (target > l.originalLength()) {
            throw new IllegalArgumentException(
                "--target-length "
                    + target
                    + " exceeds the original length "
                    + l.originalLength()
                    + ": short factors are only used up to L (HF switch rule)");
          }
          ropeTarget =
              RopeTarget.shortFactors(
                  l.factors(),
                  l.originalLength(),
                  l.scale(),
                  given == null ? l.magnitude() : given,
                  l.shortMagnitude());
          searchScale = 1;
          startTokens = initialN == null ? l.startTokens() : initialN;
          break;
        }
      default:
        throw new IllegalStateException(spec.mode().toString());
    }
    boolean mistral = c.modelType().equals("mistral");
    InitialFactors.Seeds seeds =
        InitialFactors.resolve(
            cfg,
            c.rope(),
            searchScale,
            ropeTarget.originalLength(),
            mistral ? 128 : 32,
            mistral ? 2 : 1,
            spec.initFactors() == null ? null : FactorTable.of(spec.initFactors()));
    warnings.addAll(seeds.warnings());
    for (int n :
        cfg.startTokens().search() ? cfg.startTokens().candidates() : List.of(startTokens)) {
      if (n >= target) {
        throw new IllegalArgumentException(
            "start tokens n̂ = " + n + " must be below the target length " + target);
      }
    }
    SearchProblem problem = new SearchProblem(ropeTarget, searchScale, seeds.seeds(), startTokens);
    if (cfg.criticalDim() != null) {
      Integer l = cfg.criticalDim().trainLength();
      problem =
          problem.withCritical(
              CriticalRange.resolve(
                  cfg.criticalDim(),
                  new CriticalDimension(c.rope(), l != null ? l : ropeTarget.originalLength())));
    }
    SearchSpace.of(cfg, problem.pairs(), searchScale); // validates the bounds
    // and the algorithm's own (critical_dim: mode, pairs, bounds; cmaes: what it supports)
    new EvolutionSearch(cfg, problem);
    return new Plan(c, problem, warnings);
  }

  private static LongRopeScaling longRope(ModelConfig c, String mode) {
    if (c.ropeScaling() instanceof LongRopeScaling l && !l.dynamic()) {
      return l;
    }
    throw new IllegalArgumentException(
        "--mode "
            + mode
            + " needs a model whose rope_scaling is a static longrope (a fine-tuned or extended"
            + " model), but this one has '"
            + c.ropeScaling().typeName()
            + "'");
  }

  /** The documents a spec evaluates on (split into pieces when asked). */
  static Documents documents(SearchSpec spec) {
    Documents docs =
        DocumentSources.open(spec.data(), () -> HfTokenizer.load(spec.model()), spec.field());
    return spec.splitDocuments() ? new SplitDocuments(docs, spec.targetLength()) : docs;
  }

  /** Runs (or resumes) a search with one decoder and the default attention chunk. */
  public static Outcome run(SearchSpec spec, Path runDir, boolean resume, SearchListener listener) {
    return run(spec, runDir, resume, 1, Decoder.DEFAULT_ATTENTION_CHUNK, listener);
  }

  /**
   * Runs (or resumes) a search.
   *
   * @param workers decoders evaluating candidates in parallel (each a full copy of the model)
   * @param attentionChunk query rows per attention chunk of each decoder
   */
  public static Outcome run(
      SearchSpec spec,
      Path runDir,
      boolean resume,
      int workers,
      int attentionChunk,
      SearchListener listener) {
    return run(spec, runDir, resume, false, workers, attentionChunk, listener);
  }

  /**
   * Runs (or resumes) a search; with {@code acceptChangedInputs}, a resume whose model or data
   * changed since the run started goes on (the record's fingerprints are updated, and a warning
   * says which input changed: the history's earlier fitness values came from the old one).
   */
  public static Outcome run(
      SearchSpec spec,
      Path runDir,
      boolean resume,
      boolean acceptChangedInputs,
      int workers,
      int attentionChunk,
      SearchListener listener) {
    return run(
        spec,
        runDir,
        resume,
        acceptChangedInputs,
        SearchEngine.LOCAL,
        workers,
        attentionChunk,
        listener);
  }

  /**
   * Runs (or resumes) a search on an engine: {@link SearchEngine#LOCAL} evaluates with {@code
   * workers} decoders in this JVM (one per device of {@link SearchEngine#devices()} when it lists
   * any: {@code workers} must then be its length, see {@link SearchEngine#decoders}); another
   * engine (e.g. {@code spark}) spreads each generation over its cluster, and this JVM alone writes
   * the run record.
   */
  @SuppressWarnings("try") // the run lock is held for the block, not used in it
  public static Outcome run(
      SearchSpec spec,
      Path runDir,
      boolean resume,
      boolean acceptChangedInputs,
      SearchEngine engine,
      int workers,
      int attentionChunk,
      SearchListener listener) {
    // the devices first: a GPU this build lacks is refused before anything is read
    List<Placement> placements = engine.isLocal() ? engine.placements(workers) : List.of();
    EvaluatorFactory factory = engine.isLocal() ? null : engine.factory();
    Plan plan = plan(spec);
    List<String> warnings = new ArrayList<>(plan.warnings());
    // one process at a time in a run directory (see RunLock), from before the record is read
    try (RunLock lock = RunLock.acquire(runDir, warnings::add)) {
      Set<String> compared = LOCATIONS;
      if (resume && acceptChangedInputs) {
        compared = new java.util.HashSet<>(LOCATIONS);
        compared.addAll(FINGERPRINTS);
      }
      return run(
          spec,
          plan,
          runDir,
          resume,
          compared,
          engine,
          factory,
          placements,
          attentionChunk,
          listener,
          warnings);
    }
  }

  private static Outcome run(
      SearchSpec spec,
      Plan plan,
      Path runDir,
      boolean resume,
      Set<String> skipped,
      SearchEngine engine,
      EvaluatorFactory factory,
      List<Placement> placements,
      int attentionChunk,
      SearchListener listener,
      List<String> warnings) {
    ObjectNode resolved = resolvedConfig(spec, plan, runDir);
    Path stored = runDir.resolve(RunRecord.CONFIG);
    if (resume && Files.isRegularFile(stored)) {
      // read once for both; the record reads it again to compare (and refuses a missing one)
      ObjectNode before = Json.readObject(stored);
      upgradeLegacyRecord(runDir, before, spec, resolved);
      if (skipped.containsAll(FINGERPRINTS)) {
        warnChangedInputs(before, resolved, warnings);
      }
    }
    FitnessSource.Inputs inputs = FitnessSource.Inputs.prepare(spec, plan);
    List<Decoder> decoders = new ArrayList<>();
    // the record first: a resume with other settings is refused before any weights are loaded
    try (RunRecord record = RunRecord.open(runDir, resolved, skipped, resume)) {
      RopeTarget target = plan.problem().target();
      Evaluator engineEvaluator = null;
      if (factory != null) {
        engineEvaluator = factory.open(engine, FitnessSource.of(spec, attentionChunk), warnings);
      }
      int batch = spec.search().batchOrOne();
      if (batch > 1 && engineEvaluator != null) {
        warnings.add(
            "\"batch\": "
                + batch
                + " is not used by --engine "
                + engine.name()
                + ": each of its tasks evaluates one candidate");
      }
      if (engineEvaluator != null
          && spec.search().racing() != null
          && spec.search().racing().enabled()) {
        warnings.add(
            "\"racing\" is not used by --engine "
                + engine.name()
                + ": its tasks evaluate every candidate in full, without racing's savings");
      }
      if (batch > 1 && engineEvaluator == null && placements.size() > 1) {
        throw new IllegalArgumentException(
            "\"batch\": "
                + batch
                + " groups candidates on one decoder; use one worker (got "
                + placements.size()
                + " decoders from --workers/--devices)");
      }
      List<Fitness> fitnesses = new ArrayList<>();
      for (int w = 0; engineEvaluator == null && w < placements.size(); w++) {
        Decoder d =
            HfModel.load(spec.model(), plan.config(), spec.precision(), placements.get(w))
                .withAttentionChunk(attentionChunk);
        decoders.add(d);
        fitnesses.add(inputs.fitness(d));
      }
      try (Evaluator evaluator =
          engineEvaluator != null
              ? engineEvaluator
              : batch > 1
                  ? Evaluator.batched(fitnesses.get(0), batch)
                  : Evaluator.parallel(fitnesses)) {
        SearchResult r =
            new EvolutionSearch(spec.search(), plan.problem()).run(evaluator, record, listener);
        ObjectNode rope = HfRopeConfig.toJson(target.scaling(r.best()));
        record.writeFinalFile("rope_scaling.json", Json.write(rope));
        ObjectNode summary = summary(r, plan.problem(), spec.search());
        if (plan.problem().critical() != null) {
          record.writeFinalFile("summary.json", Json.write(summary)); // with critical_dim
        }
        // the report names the engine but not its conf (which may hold credentials)
        ObjectNode on = Json.MAPPER.createObjectNode().put("name", engine.name());
        if (engine.master() != null) {
          on.put("master", engine.master());
        }
        on.put("workers", evaluator.workers());
        if (engineEvaluator == null) {
          ArrayNode used = on.putArray("devices");
          placements.forEach(p -> used.add(p.name()));
        }
        return new Outcome(r, runDir, rope, warnings, summary, on);
      }
    } finally {
      decoders.forEach(Decoder::close);
    }
  }

  /**
   * The documents a perplexity protocol evaluates, cut to what its windows read, in memory: the
   * same perplexity with {@code samples} = all and no minimum length, without reading whole
   * documents for every candidate.
   */
  public static Documents windowed(Documents docs, Perplexity p, boolean bos) {
    List<int[]> out = new ArrayList<>();
    for (int d : p.eligible(docs)) {
      int[] doc = docs.document(d);
      int keep =
          p.truncate()
              ? Math.min(doc.length, bos ? p.length() - 1 : p.length())
              : (int) Math.min(doc.length, (long) PerplexityWindows.MAX_WINDOWS * p.stride());
      out.add(java.util.Arrays.copyOf(doc, keep));
    }
    return new InMemoryDocuments(out);
  }

  /** Reads a factor file for the {@code file} init source (one shared vector). */
  public static double[] readInitFile(Path file, List<String> warnings) {
    FactorFile.Loaded l = FactorFile.read(file);
    warnings.addAll(l.warnings());
    FactorTable t = l.table();
    for (int r = 1; r < t.layers(); r++) {
      if (!java.util.Arrays.equals(t.row(r), t.row(0))) {
        throw new IllegalArgumentException(
            file + ": per-layer factors differ; the search needs one shared vector of d/2 factors");
      }
    }
    return t.row(0);
  }
}
