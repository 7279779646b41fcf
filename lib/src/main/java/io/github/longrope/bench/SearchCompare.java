package io.github.longrope.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.data.Documents;
import io.github.longrope.data.InMemoryDocuments;
import io.github.longrope.data.SplitDocuments;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.RunSpecs;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.search.SearchConfig;
import io.github.longrope.search.SearchCost;
import io.github.longrope.search.run.SearchJob;
import io.github.longrope.search.run.SearchSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

/**
 * {@code bench search --compare}: the paper's evolution, evolution with racing and CMA-ES with
 * racing on one model, data and budget, for several seeds; for each run the forward tokens and
 * fitness seconds needed to reach the paper evolution's final fitness (median over its seeds), the
 * final fitness, and the held-out perplexity of the final factors at L′ and 2L′ on pieces of
 * held-out splits (so that no strategy wins by overfitting the search documents).
 *
 * <p>Every run is an ordinary search run directory under {@code OUT/runs/} ({@link SearchJob}), so
 * a killed comparison resumes where it stopped.
 */
public final class SearchCompare {
  private SearchCompare() {}

  /** The strategies compared by default, in order. */
  public static final List<String> STRATEGIES =
      List.of("evolution", "evolution+racing", "cmaes+racing");

  /**
   * Every strategy the comparison knows, in report order: the defaults, then CMA-ES holding λ ≥ s
   * from the critical pair on ({@code "critical_dim": {}}: LongRoPE2's reading that the dimensions
   * which never completed a period in training must be interpolated at least by s).
   */
  public static final List<String> KNOWN =
      List.of("evolution", "evolution+racing", "cmaes+racing", "cmaes-critical+racing");

  /** The corpus splits the comparison reads: the search documents and the held-out text. */
  public static final List<String> SPLITS = List.of("search", "eval-books", "eval-prose");

  /**
   * @param model HF model directory
   * @param corpus the prepared corpus (splits {@code search}, {@code eval-books}, {@code
   *     eval-prose})
   * @param targetLength L′ of the fitness
   * @param samples search documents per fitness
   * @param population the evolution's population P (mutations = crossovers = P/4, parents = P/2)
   * @param iterations the evolution's iterations T; CMA-ES gets the same number of evaluations
   * @param seeds 1, 2, … this many
   * @param strategies which of {@link #KNOWN} to run (the {@code evolution} sets the target)
   * @param racingSlack racing's slack σ in nats (see Racing)
   * @param cmaesPopulation CMA-ES λ
   * @param cmaesSigma CMA-ES σ₀
   * @param heldoutPieces pieces of 2L′ tokens taken evenly across each held-out split
   * @param output where runs and results go
   */
  public record Request(
      Path model,
      Path corpus,
      int targetLength,
      int samples,
      int population,
      int iterations,
      int seeds,
      List<String> strategies,
      double racingSlack,
      int cmaesPopulation,
      double cmaesSigma,
      int heldoutPieces,
      Path output) {
    public Request {
      if (population < 4 || iterations < 0 || seeds < 1 || heldoutPieces < 1) {
        throw new IllegalArgumentException(
            "need --population >= 4, --iterations >= 0, --seeds >= 1, --heldout-pieces >= 1");
      }
      for (String x : strategies) {
        if (!KNOWN.contains(x)) {
          throw new IllegalArgumentException(
              "--strategies: unknown strategy '" + x + "'; known: " + String.join(", ", KNOWN));
        }
      }
      if (!strategies.contains(KNOWN.get(0))) {
        throw new IllegalArgumentException(
            "--strategies: include 'evolution': its final fitness is the target");
      }
      strategies = KNOWN.stream().filter(strategies::contains).toList();
    }

    /** Evaluations of the evolution: P + T·P/2. */
    public int budget() {
      return population + iterations * (population / 2);
    }
  }

  /** One run. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder({
    "strategy",
    "seed",
    "tokens_to_target",
    "seconds",
    "final_fitness",
    "heldout_ppl_2048",
    "heldout_ppl_4096"
  })
  public record Row(
      String strategy,
      long seed,
      Long tokensToTarget,
      Double seconds,
      double finalFitness,
      @JsonProperty("heldout_ppl_2048") double heldoutPpl2048,
      @JsonProperty("heldout_ppl_4096") double heldoutPpl4096,
      long evaluations,
      long rejected,
      long forwardTokens,
      double fitnessSeconds,
      List<double[]> bestVsTokens) {}

  /**
   * The comparison.
   *
   * @param seeds the whole seeds: every strategy has run 1 to this (the others may have run more
   *     than a strategy added later; the summary counts each one's)
   * @param seedsPlanned the seeds asked for: more than {@code seeds} while the comparison runs
   * @param target the paper evolution's median final fitness over those seeds
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Report(
      String model,
      int targetLength,
      int samples,
      String budget,
      int seeds,
      int seedsPlanned,
      double target,
      String heldout,
      List<Row> rows) {
    /** Reads the {@code compare.json} a comparison wrote (notebooks draw a committed one). */
    public static Report read(Path compareJson) {
      return RunSpecs.read(compareJson, Report.class, "comparison report");
    }

    /** The rows as a table: the columns, then each run's totals. */
    public Table table() {
      return CompareFiles.table(this);
    }

    /**
     * Per strategy, the medians over its seeds (of an even count the worse middle value): tokens to
     * the target and their share of the evolution's, final fitness and held-out perplexities.
     */
    @JsonProperty(value = "summary", access = JsonProperty.Access.READ_ONLY)
    public List<StrategySummary> summary() {
      return StrategySummary.of(rows);
    }

    /** {@link #summary()} as a table. */
    public Table summaryTable() {
      return StrategySummary.table(summary());
    }

    /** Best fitness over forward tokens: each strategy's median over seeds, each seed thin. */
    public XYChart chart() {
      return CompareFiles.chart(this);
    }

    public String text() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "model %s, fitness ppl at %d on %d documents; budget %s%n"
                  + "seeds 1-%d of %d done by every strategy (per strategy: the summary)%n"
                  + "target (median final fitness of the paper evolution, the worse middle one of an even"
                  + " count): %.4f%n"
                  + "held out: %s%n",
              model,
              targetLength,
              samples,
              budget,
              seeds,
              seedsPlanned,
              target,
              heldout));
      sb.append(
          "strategy, seed, tokens_to_target, seconds, final_fitness, heldout_ppl_2048,"
              + " heldout_ppl_4096\n");
      for (Row r : rows) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%s, %d, %s, %s, %.4f, %.4f, %.4f%n",
                r.strategy(),
                r.seed(),
                r.tokensToTarget() == null ? "not reached" : r.tokensToTarget().toString(),
                r.seconds() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.seconds()),
                r.finalFitness(),
                r.heldoutPpl2048(),
                r.heldoutPpl4096()));
      }
      sb.append("median over seeds (of an even count the worse middle one):\n");
      for (StrategySummary x : summary()) {
        sb.append("  ").append(x.line()).append('\n');
      }
      return sb.toString();
    }
  }

  /** The search config of a strategy and seed. */
  static SearchConfig config(Request q, String strategy, long seed) {
    int p = q.population();
    String racing =
        strategy.endsWith("+racing")
            ? String.format(
                Locale.ROOT, ", \"racing\": {\"enabled\": true, \"slack\": %s}", q.racingSlack())
            : "";
    String init = "\"init\": [\"pi\", \"ntk\", \"yarn\", \"yarn-exact\"]";
    if (strategy.startsWith("cmaes")) {
      int seeds = 4;
      int generations = Math.max(0, (q.budget() - seeds) / q.cmaesPopulation());
      return SearchConfig.parse(
          String.format(
              Locale.ROOT,
              "{\"version\": 1, \"algorithm\": \"cmaes\", \"iterations\": %d, %s, \"seed\": %d,"
                  + " \"cmaes\": {\"population\": %d, \"sigma\": %s}%s%s}",
              generations,
              init,
              seed,
              q.cmaesPopulation(),
              q.cmaesSigma(),
              strategy.startsWith("cmaes-critical") ? ", \"critical_dim\": {}" : "",
              racing),
          strategy);
    }
    return SearchConfig.parse(
        String.format(
            Locale.ROOT,
            "{\"version\": 1, \"algorithm\": \"dim_mono\", \"population\": %d, \"iterations\": %d,"
                + " \"mutations\": %d, \"crossovers\": %d, \"parents\": %d, %s, \"seed\": %d%s}",
            p,
            q.iterations(),
            p / 4,
            p / 4,
            p / 2,
            init,
            seed,
            racing),
        strategy);
  }

  /**
   * Held-out documents: {@code pieces} pieces of {@code length} tokens evenly across each split.
   */
  static Documents heldout(Request q, int length, List<String> splits, StringBuilder described) {
    List<int[]> out = new ArrayList<>();
    for (String split : splits) {
      Documents source =
          DocumentSources.open(
              q.corpus().resolve(split), () -> HfTokenizer.load(q.model()), "text");
      SplitDocuments all = new SplitDocuments(source, length);
      Documents picked = all.spread(q.heldoutPieces());
      for (int k = 0; k < picked.size(); k++) {
        out.add(picked.document(k));
      }
      described.append(
          String.format(
              Locale.ROOT,
              "%s%d of %d pieces of `%s`",
              described.length() == 0 ? "" : ", ",
              picked.size(),
              all.size(),
              split));
    }
    described.append(
        String.format(
            Locale.ROOT,
            " = %d documents of %d tokens (%d tokens)",
            out.size(),
            length,
            (long) out.size() * length));
    return new InMemoryDocuments(out);
  }

  /**
   * Runs (or resumes) every strategy and seed, seed by seed; after each seed the report of the
   * seeds done so far is written, so that a comparison stopped part-way leaves whole seeds
   * reported. Runs that finished before are read first (a resume of a finished run evaluates
   * nothing), so that a strategy added later is reported beside the seeds the others have already
   * done, with the seeds it has. Progress lines go to {@code log}.
   */
  public static Report run(Request q, Consumer<String> log) {
    for (String split : SPLITS) {
      if (!Files.isRegularFile(q.corpus().resolve(split + ".bin"))
          && !Files.isDirectory(q.corpus().resolve(split))) {
        throw new IllegalArgumentException(
            "--corpus "
                + q.corpus()
                + ": no split '"
                + split
                + "' ("
                + split
                + ".bin/.idx or a folder of .txt); build the corpus with ./longrope data prepare corpus");
      }
    }
    ModelConfig config = HfModelConfig.read(q.model()).config();
    StringBuilder described = new StringBuilder();
    Documents held = heldout(q, 2 * q.targetLength(), SPLITS.subList(1, SPLITS.size()), described);
    HeldOut.Set heldOut = new HeldOut.Set(q, config, held, described.toString());
    List<Run> runs = new ArrayList<>();
    for (long seed = 1; seed <= q.seeds(); seed++) {
      for (String strategy : q.strategies()) {
        if (Files.isRegularFile(dir(q, strategy, seed).resolve("final/summary.json"))) {
          runs.add(run(q, strategy, seed, log));
        }
      }
    }
    Report report = null;
    for (long seed = 1; seed <= q.seeds(); seed++) {
      for (String strategy : q.strategies()) {
        long s = seed;
        if (runs.stream().noneMatch(r -> r.strategy().equals(strategy) && r.seed() == s)) {
          runs.add(run(q, strategy, seed, log));
        }
      }
      report = report(q, runs, (int) seed, heldOut, log);
      CompareFiles.write(q.output(), report);
      log.accept(
          String.format(
              Locale.ROOT,
              "wrote %s: seeds 1-%d of %d",
              q.output().resolve("compare.json"),
              seed,
              q.seeds()));
    }
    return report;
  }

  private static Path dir(Request q, String strategy, long seed) {
    return q.output().resolve("runs").resolve(strategy.replace('+', '-') + "-seed" + seed);
  }

  /** Runs, resumes or (when it finished) reads the run of one strategy and seed. */
  private static Run run(Request q, String strategy, long seed, Consumer<String> log) {
    Path dir = dir(q, strategy, seed);
    SearchSpec spec =
        SearchSpec.builder(
                q.model(),
                q.corpus().resolve("search"),
                q.targetLength(),
                config(q, strategy, seed))
            .samples(q.samples())
            .build();
    boolean resume = Files.isRegularFile(dir.resolve("config.json"));
    log.accept(
        String.format(
            Locale.ROOT, "%s seed %d%s ...", strategy, seed, resume ? " (resuming)" : ""));
    return new Run(strategy, seed, dir, SearchJob.run(spec, dir, resume, null));
  }

  /** The report of the runs done so far ({@code seedsDone} whole seeds of every strategy). */
  private static Report report(
      Request q, List<Run> done, int seedsDone, HeldOut.Set heldOut, Consumer<String> log) {
    List<Run> runs = new ArrayList<>(done);
    runs.sort(
        Comparator.comparingInt((Run r) -> KNOWN.indexOf(r.strategy()))
            .thenComparingLong(Run::seed));
    List<Double> paper = new ArrayList<>();
    for (Run r : runs) {
      if (r.strategy().equals(KNOWN.get(0))) {
        paper.add(r.outcome().result().fitness());
      }
    }
    double target = StrategySummary.worseMedian(paper, Double::doubleValue);
    List<Row> rows = new ArrayList<>();
    try (heldOut) {
      for (Run r : runs) {
        HeldOut h =
            heldOut.of(r.dir(), r.outcome().ropeScaling(), r.strategy() + " seed " + r.seed(), log);
        SearchCost cost = r.outcome().result().cost();
        SearchCost.Point hit = cost.reached(target, 0);
        List<double[]> curve = new ArrayList<>();
        for (SearchCost.Point p : cost.curve()) {
          curve.add(new double[] {p.tokens(), p.best()});
        }
        rows.add(
            new Row(
                r.strategy(),
                r.seed(),
                hit == null ? null : hit.tokens(),
                hit == null ? null : hit.seconds(),
                r.outcome().result().fitness(),
                h.ppl(),
                h.pplTwice(),
                cost.evaluations(),
                cost.rejected(),
                cost.forwardTokens(),
                cost.fitnessSeconds(),
                curve));
      }
    }
    String budget =
        String.format(
            Locale.ROOT,
            "evolution P=%d, T=%d (%d evaluations); cmaes λ=%d, σ₀=%s, same evaluation budget;"
                + " racing slack %s nats",
            q.population(),
            q.iterations(),
            q.budget(),
            q.cmaesPopulation(),
            q.cmaesSigma(),
            q.racingSlack());
    return new Report(
        q.model().toString(),
        q.targetLength(),
        q.samples(),
        budget,
        seedsDone,
        q.seeds(),
        target,
        heldOut.described(),
        rows);
  }

  private record Run(String strategy, long seed, Path dir, SearchJob.Outcome outcome) {}
}
