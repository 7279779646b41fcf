package io.github.longrope.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.RunSpecs;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hyper-parameters of the evolution search, as written in {@code configs/search/*.json} (snake_case
 * keys, {@code "version": 1}; unknown keys are errors). Absent values take the official {@code
 * default_hyper_params} values (docs/method.md, "Hyper-parameters"); every error names the key.
 *
 * <pre>{@code
 * SearchConfig c = SearchConfig.read(Path.of("configs/search/dim_mono.json"));
 * int children = c.effectiveMutations() + c.effectiveCrossovers();   // per iteration
 * }</pre>
 *
 * <p>Integer counts are multiplied by {@code evo_scale} and truncated, as upstream does ({@code
 * int(n × evo_scale)}); validation applies to the effective counts.
 *
 * @param version file format version, must be 1
 * @param algorithm {@code dim_mono} (monotone λ), {@code dim_piece_mono} (α/β pieces) or {@code
 *     critical_dim} (LongRoPE2: searched pairs above a searched critical pair, NTK below) or {@code
 *     cmaes} (CMA-ES on monotone increments of λ, {@link CmaesSearch})
 * @param evoScale multiplier of every integer count (official 1.0; the old branch used 0.1)
 * @param population initial population size (P = 64)
 * @param iterations number of iterations after the initial population (T = 40)
 * @param mutations mutated children per iteration (N1 = 16)
 * @param crossovers crossover children per iteration (N2 = 16)
 * @param parents survivors (top-k by fitness) per iteration (32); at most {@code population}
 * @param step grid step of λ values (0.01)
 * @param maxCrossoverTries passes over the genes before a crossover gives up (20)
 * @param mutationProbability per-gene mutation / crossover probability (paper p = 0.3)
 * @param maxMutationTries attempts before a mutation gives up (upstream loops forever when the
 *     space around a parent is exhausted)
 * @param maxFactor upper bound of λ: {@code 1+s} (upstream {@code evo_max}), {@code K*s} (paper
 *     1.25·s) or a number; {@code critical_dim} defaults to {@code 2*s} (LongRoPE2's [s, 2s])
 * @param startTokens the n̂ search (docs/method.md, "Start-token search"; research branch only)
 * @param init initial individuals: {@code pi}, {@code ntk}, {@code yarn} (official seed), {@code
 *     yarn-exact}, {@code ones}, {@code file} (needs {@code init_file})
 * @param initFile factor file for the {@code file} source (a path, resolved by the caller)
 * @param autoRescale try the init factors rescaled to s, s/2, s/4, … ≥ 1 and keep the best scale
 *     (official {@code --auto-rescale-init-factors}; docs/method.md, "Initial population")
 * @param yarnBetaFast YaRN seed β_fast (null: 32, or 128 for Mistral models)
 * @param yarnBetaSlow YaRN seed β_slow (null: 1, or 2 for Mistral models)
 * @param seed seed of the one random source of the search
 * @param criticalDim {@code critical_dim}: the critical pairs tried and L_train; {@code cmaes}: the
 *     pair {@code start} (default d_tcd/2 at L_train) from which every λ is held at or above s
 *     ({@link CmaesSearch}), absent: no such floor
 * @param racing early rejection of children that cannot enter the parents ({@link Racing}; absent:
 *     off)
 * @param cmaes the CMA-ES settings of algorithm {@code cmaes} ({@link Cmaes})
 * @param batch candidates scored together in one forward ({@link Evaluator#batched}; absent or 1:
 *     one by one). Part of the record because a batched forward may differ from single ones in the
 *     last bits of a loss, so a resume keeps it.
 */
public record SearchConfig(
    Integer version,
    String algorithm,
    Double evoScale,
    Integer population,
    Integer iterations,
    Integer mutations,
    Integer crossovers,
    Integer parents,
    Double step,
    Integer maxCrossoverTries,
    Double mutationProbability,
    Integer maxMutationTries,
    String maxFactor,
    StartTokens startTokens,
    List<String> init,
    String initFile,
    Boolean autoRescale,
    Double yarnBetaFast,
    Double yarnBetaSlow,
    Long seed,
    @JsonInclude(JsonInclude.Include.NON_NULL) CriticalPairs criticalDim,
    @JsonInclude(JsonInclude.Include.NON_NULL) Racing racing,
    @JsonInclude(JsonInclude.Include.NON_NULL) Cmaes cmaes,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer batch) {

  /** The current file format version. */
  public static final int VERSION = 1;

  /** Known algorithm names. */
  public static final List<String> ALGORITHMS =
      List.of("dim_mono", "dim_piece_mono", "critical_dim", "cmaes");

  /** Known init sources. */
  public static final List<String> INIT_SOURCES =
      List.of("pi", "ntk", "yarn", "yarn-exact", "ones", "critical-dim", "file");

  private static final Pattern TIMES_SCALE =
      Pattern.compile("\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*\\*\\s*s\\s*");

  public SearchConfig {
    require(version != null, "version", "required: the file format version (" + VERSION + ")");
    require(version == VERSION, "version", "unsupported version " + version + "; expected 1");
    algorithm = algorithm == null ? "dim_mono" : algorithm.toLowerCase(Locale.ROOT);
    require(
        ALGORITHMS.contains(algorithm),
        "algorithm",
        "unknown algorithm '" + algorithm + "'; known: " + String.join(", ", ALGORITHMS));
    evoScale = evoScale == null ? 1.0 : evoScale;
    require(Double.isFinite(evoScale) && evoScale > 0, "evo_scale", "must be > 0, got " + evoScale);
    population = population == null ? 64 : population;
    iterations = iterations == null ? 40 : iterations;
    mutations = mutations == null ? 16 : mutations;
    crossovers = crossovers == null ? 16 : crossovers;
    parents = parents == null ? 32 : parents;
    maxCrossoverTries = maxCrossoverTries == null ? 20 : maxCrossoverTries;
    step = step == null ? 0.01 : step;
    mutationProbability = mutationProbability == null ? 0.3 : mutationProbability;
    maxMutationTries = maxMutationTries == null ? 1000 : maxMutationTries;
    boolean critical = algorithm.equals("critical_dim");
    maxFactor = maxFactor == null ? (critical ? "2*s" : "1+s") : maxFactor.strip();
    startTokens = startTokens == null ? StartTokens.DEFAULT : startTokens;
    init = init == null ? List.of(critical ? "critical-dim" : "yarn") : List.copyOf(init);
    autoRescale = autoRescale != null && autoRescale;
    seed = seed == null ? 42L : seed;
    require(
        critical || algorithm.equals("cmaes") || criticalDim == null,
        "critical_dim",
        "only used with \"algorithm\": \"critical_dim\" or \"cmaes\", not " + algorithm);
    criticalDim = criticalDim == null && critical ? CriticalPairs.DEFAULT : criticalDim;
    require(
        !(critical && autoRescale),
        "auto_rescale",
        "critical_dim searches [s, max_factor] above the critical pair at the stage's own s;"
            + " auto-rescale is not used with it");
    // off is stored as absent, so that a config without racing resolves as it did before racing
    racing = racing == null || !racing.enabled() ? null : racing;
    require(
        cmaes == null || algorithm.equals("cmaes"),
        "cmaes",
        "settings for algorithm 'cmaes', but the algorithm is '" + algorithm + "'");
    cmaes = algorithm.equals("cmaes") && cmaes == null ? new Cmaes(null, null) : cmaes;
    require(
        batch == null || batch >= 1,
        "batch",
        "must be >= 1 (candidates per forward), got " + batch);
    // 1 is stored as absent, so that a config without batching resolves as it did before it
    batch = batch == null || batch == 1 ? null : batch;

    int pop = scaled(population, evoScale);
    int par = scaled(parents, evoScale);
    require(
        pop >= 1,
        "population",
        "must be >= 1 after evo_scale, got " + population + " × " + evoScale + " = " + pop);
    require(iterations >= 0, "iterations", "must be >= 0, got " + iterations);
    require(mutations >= 0, "mutations", "must be >= 0, got " + mutations);
    require(crossovers >= 0, "crossovers", "must be >= 0, got " + crossovers);
    require(par >= 1, "parents", "must be >= 1 after evo_scale, got " + par);
    require(
        par <= pop, "parents", "must be <= population (" + pop + " after evo_scale), got " + par);
    require(
        scaled(crossovers, evoScale) == 0 || par >= 2,
        "parents",
        "crossover needs at least 2 parents, got " + par);
    require(
        scaled(maxCrossoverTries, evoScale) >= 1 || scaled(crossovers, evoScale) == 0,
        "max_crossover_tries",
        "must be >= 1 after evo_scale, got " + scaled(maxCrossoverTries, evoScale));
    require(Double.isFinite(step) && step > 0, "step", "must be a finite number > 0, got " + step);
    require(
        mutationProbability > 0 && mutationProbability <= 1,
        "mutation_probability",
        "must be in (0, 1], got " + mutationProbability);
    require(maxMutationTries >= 1, "max_mutation_tries", "must be >= 1, got " + maxMutationTries);
    parseMaxFactor(maxFactor); // validates
    require(
        !init.isEmpty(), "init", "needs at least one source: " + String.join(", ", INIT_SOURCES));
    Set<String> seen = new HashSet<>();
    for (String s : init) {
      require(
          s != null && INIT_SOURCES.contains(s),
          "init",
          "unknown source '" + s + "'; known: " + String.join(", ", INIT_SOURCES));
      require(seen.add(s), "init", "source '" + s + "' given twice");
    }
    require(
        !init.contains("file") || initFile != null,
        "init_file",
        "required when init contains 'file'");
    require(
        initFile == null || init.contains("file"),
        "init",
        "init_file is given but init does not contain 'file'");
    require(
        yarnBetaFast == null || Double.isFinite(yarnBetaFast) && yarnBetaFast > 0,
        "yarn_beta_fast",
        "must be > 0");
    require(
        yarnBetaSlow == null || Double.isFinite(yarnBetaSlow) && yarnBetaSlow > 0,
        "yarn_beta_slow",
        "must be > 0");
  }

  /**
   * The n̂ (start-token) search of the research branch (docs/method.md, "Start-token search").
   *
   * @param search on/off
   * @param initial n̂ of the initial individuals (null: the model's own, 0 for an unscaled model)
   * @param candidates values tried (default {0, 1, 2, 4, 8, …, 48, 64})
   * @param parents top parents per iteration that try every candidate (5)
   * @param mutationSamples candidates sampled without replacement for each mutated child (5)
   * @param initialPool after the initial population: pick {@code initialTries} of the top {@code
   *     initialPool} (10)
   * @param initialTries ... and try every candidate on them (5)
   */
  public record StartTokens(
      Boolean search,
      Integer initial,
      List<Integer> candidates,
      Integer parents,
      Integer mutationSamples,
      Integer initialPool,
      Integer initialTries) {
    static final List<Integer> DEFAULT_CANDIDATES =
        List.of(0, 1, 2, 4, 8, 12, 16, 20, 24, 28, 32, 48, 64);
    static final StartTokens DEFAULT = new StartTokens(null, null, null, null, null, null, null);

    public StartTokens {
      search = search != null && search;
      candidates = candidates == null ? DEFAULT_CANDIDATES : List.copyOf(candidates);
      parents = parents == null ? 5 : parents;
      mutationSamples = mutationSamples == null ? 5 : mutationSamples;
      initialPool = initialPool == null ? 10 : initialPool;
      initialTries = initialTries == null ? 5 : initialTries;
      require(
          initial == null || initial >= 0, "start_tokens.initial", "must be >= 0, got " + initial);
      require(
          !search || candidates.size() >= 1,
          "start_tokens.candidates",
          "needs at least one value when search is on");
      Set<Integer> seen = new HashSet<>();
      for (Integer n : candidates) {
        require(n != null && n >= 0, "start_tokens.candidates", "values must be >= 0, got " + n);
        require(seen.add(n), "start_tokens.candidates", "value " + n + " given twice");
      }
      require(parents >= 0, "start_tokens.parents", "must be >= 0, got " + parents);
      require(
          mutationSamples >= 0,
          "start_tokens.mutation_samples",
          "must be >= 0, got " + mutationSamples);
      require(initialPool >= 0, "start_tokens.initial_pool", "must be >= 0, got " + initialPool);
      require(
          initialTries >= 0 && initialTries <= Math.max(initialPool, 0),
          "start_tokens.initial_tries",
          "must be in [0, initial_pool], got " + initialTries);
    }
  }

  /**
   * The {@code critical_dim} knobs (docs/method.md, "Critical-dimension search (critical_dim)"):
   * absent values come from the model's critical dimension.
   *
   * @param low smallest critical pair tried (default d10_tcd/2)
   * @param high largest critical pair tried (default d_tcd/2)
   * @param start critical pair of the initial individuals (default {@code high})
   * @param trainLength L_train of the theory (default the model's original length)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CriticalPairs(Integer low, Integer high, Integer start, Integer trainLength) {
    static final CriticalPairs DEFAULT = new CriticalPairs(null, null, null, null);

    public CriticalPairs {
      require(low == null || low >= 0, "critical_dim.low", "must be >= 0, got " + low);
      require(high == null || high >= 0, "critical_dim.high", "must be >= 0, got " + high);
      require(
          low == null || high == null || low <= high,
          "critical_dim.low",
          "must be <= high (" + high + "), got " + low);
      require(
          start == null || start >= (low == null ? 0 : low) && (high == null || start <= high),
          "critical_dim.start",
          "must lie in [low, high], got " + start);
      require(
          trainLength == null || trainLength >= 1,
          "critical_dim.train_length",
          "must be >= 1, got " + trainLength);
    }
  }

  static int scaled(int n, double evoScale) {
    return (int) (n * evoScale);
  }

  public int effectivePopulation() {
    return scaled(population, evoScale);
  }

  public int effectiveIterations() {
    return scaled(iterations, evoScale);
  }

  public int effectiveMutations() {
    return scaled(mutations, evoScale);
  }

  public int effectiveCrossovers() {
    return scaled(crossovers, evoScale);
  }

  public int effectiveParents() {
    return scaled(parents, evoScale);
  }

  public int effectiveMaxCrossoverTries() {
    return scaled(maxCrossoverTries, evoScale);
  }

  /** The upper bound of λ for search scale s. */
  public double maxFactor(double s) {
    double[] f = parseMaxFactor(maxFactor);
    return f[0] + f[1] * s;
  }

  /** {@code {constant, times s}}. */
  private static double[] parseMaxFactor(String text) {
    String t = text.replace(" ", "");
    if (t.equals("1+s") || t.equals("s+1")) {
      return new double[] {1, 1};
    }
    Matcher m = TIMES_SCALE.matcher(t);
    if (m.matches()) {
      double k = Double.parseDouble(m.group(1));
      require(k > 0, "max_factor", "the multiple of s must be > 0, got " + text);
      return new double[] {0, k};
    }
    try {
      double v = Double.parseDouble(t);
      require(Double.isFinite(v) && v >= 1, "max_factor", "must be >= 1, got " + text);
      return new double[] {v, 0};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "search config: key 'max_factor': expected '1+s', 'K*s' or a number, got '" + text + "'");
    }
  }

  static void require(boolean ok, String key, String problem) {
    if (!ok) {
      throw new IllegalArgumentException("search config: key '" + key + "': " + problem);
    }
  }

  /** The same config with other init sources (and init file). */
  public SearchConfig withInit(List<String> sources, String file) {
    ObjectNode o = toJson();
    o.set("init", RunSpecs.tree(sources));
    o.put("init_file", file);
    return copy(o);
  }

  /** The same config with another seed. */
  public SearchConfig withSeed(long newSeed) {
    return copy(toJson().put("seed", newSeed));
  }

  /** The same config with racing set (null or disabled: off). */
  public SearchConfig withRacing(Racing newRacing) {
    ObjectNode o = toJson();
    o.set("racing", newRacing == null ? null : RunSpecs.tree(newRacing));
    return copy(o);
  }

  /**
   * A changed copy, made from the resolved JSON so that the constructor's defaults and checks apply
   * to it as to a file (and a new component needs no edit here).
   */
  private static SearchConfig copy(ObjectNode resolved) {
    return RunSpecs.convert(resolved, SearchConfig.class, "search config", "search config");
  }

  /** Candidates per forward: {@link #batch}, 1 when absent. */
  public int batchOrOne() {
    return batch == null ? 1 : batch;
  }

  /** Racing as configured, or off. */
  public Racing racingOrOff() {
    return racing == null ? new Racing(false, null) : racing;
  }

  /** The official defaults (docs/method.md, "Hyper-parameters") for an algorithm. */
  public static SearchConfig defaults(String algorithm) {
    return parse("{\"version\": 1, \"algorithm\": \"" + algorithm + "\"}", "defaults");
  }

  /** Reads and validates a config file; errors name the file and key. */
  public static SearchConfig read(Path file) {
    return RunSpecs.read(file, SearchConfig.class, "search config");
  }

  /** Parses config text; {@code source} names it in errors. */
  public static SearchConfig parse(String text, String source) {
    return RunSpecs.parse(text, SearchConfig.class, source, "search config");
  }

  /** The resolved config as a JSON tree (every default filled in). */
  public ObjectNode toJson() {
    return (ObjectNode) RunSpecs.tree(this);
  }

  /** The resolved config as JSON text. */
  public String toJsonText() {
    return RunSpecs.text(this);
  }
}
