package io.github.longrope.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.data.Documents;
import io.github.longrope.data.InMemoryDocuments;
import io.github.longrope.eval.Perplexity;
import io.github.longrope.io.AtomicFiles;
import io.github.longrope.io.HfModel;
import io.github.longrope.io.HfModelConfig;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import io.github.longrope.model.Decoder;
import io.github.longrope.model.ModelConfig;
import io.github.longrope.model.RandomWeights;
import io.github.longrope.rope.MagnitudeScaling;
import io.github.longrope.rope.RopeGeometry;
import io.github.longrope.search.Candidate;
import io.github.longrope.search.Evaluator;
import io.github.longrope.search.EvolutionSearch;
import io.github.longrope.search.InitialFactors;
import io.github.longrope.search.RopeTarget;
import io.github.longrope.search.RunRecord;
import io.github.longrope.search.SearchConfig;
import io.github.longrope.search.SearchProblem;
import io.github.longrope.search.SearchResult;
import io.github.longrope.search.fitness.PerplexityFitness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Evaluations per second of the search on a model, and how the wall time splits between the fitness
 * (forward passes) and the search's own bookkeeping (operators, de-duplication, the fsynced
 * history, CSVs). Then the bookkeeping alone over the official budget (64 + 40 × 32 candidates)
 * with a synthetic fitness: the search should spend nearly all its time in the model.
 *
 * <p>Default model: the bundled model's architecture with random weights (dim 256, 6 layers, 4/2
 * heads, vocab 32000, L = 256), random token documents; {@code model}/{@code data} use real ones.
 */
public final class SearchBench {
  private SearchBench() {}

  /**
   * @param model HF model directory, or null for the random bundled-size model
   * @param data token data, or null for random documents
   */
  public record Request(
      Path model, Path data, int targetLength, int samples, int population, int iterations) {
    public Request {
      if (targetLength < 2 || samples < 1 || population < 2 || iterations < 0) {
        throw new IllegalArgumentException(
            "need --target-length >= 2, --samples >= 1, --population >= 2, --iterations >= 0");
      }
    }
  }

  /** What was measured. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder({
    "model",
    "target_length",
    "samples",
    "evaluations",
    "forward_tokens",
    "seconds",
    "evaluations_per_second",
    "fitness_seconds",
    "forward_share",
    "bookkeeping_ms_per_candidate"
  })
  public record Report(
      String model,
      int targetLength,
      int samples,
      long evaluations,
      long forwardTokens,
      double seconds,
      double fitnessSeconds,
      double bestFitness,
      long bookkeepingAloneCandidates,
      double bookkeepingAloneSeconds) {
    @JsonProperty("evaluations_per_second")
    public double evaluationsPerSecond() {
      return evaluations / seconds;
    }

    @JsonProperty("forward_share")
    public double forwardShare() {
      return fitnessSeconds / seconds;
    }

    @JsonProperty("bookkeeping_ms_per_candidate")
    public double bookkeepingMsPerCandidate() {
      return 1000 * (seconds - fitnessSeconds) / Math.max(1, evaluations);
    }

    @JsonProperty("bookkeeping_alone_ms_per_candidate")
    public double bookkeepingAloneMsPerCandidate() {
      return 1000 * bookkeepingAloneSeconds / Math.max(1, bookkeepingAloneCandidates);
    }

    /** The lines printed without {@code --json}. */
    public String text() {
      return String.format(
          Locale.ROOT,
          "model: %s, fitness: ppl at %d tokens on %d documents%n"
              + "search: %d evaluations, %d forward tokens, in %.2f s = %.3f evaluations/s;"
              + " best fitness %.4g%n"
              + "  in the fitness (forward): %.2f s = %.1f%% of wall time (target >= 95%%)%n"
              + "  search bookkeeping: %.2f ms per candidate (history fsync included)%n"
              + "bookkeeping alone, official budget with a synthetic fitness: %d candidates in"
              + " %.2f s = %.2f ms per candidate%n",
          model,
          targetLength,
          samples,
          evaluations,
          forwardTokens,
          seconds,
          evaluationsPerSecond(),
          bestFitness,
          fitnessSeconds,
          100 * forwardShare(),
          bookkeepingMsPerCandidate(),
          bookkeepingAloneCandidates,
          bookkeepingAloneSeconds,
          bookkeepingAloneMsPerCandidate());
    }
  }

  /** Measures; progress lines go to {@code log}. */
  public static Report run(Request q, Consumer<String> log) {
    ModelConfig config;
    String name;
    if (q.model() == null) {
      config =
          ModelConfig.builder()
              .shape(32000, 256, 688, 6)
              .heads(4, 2, 64)
              .maxPositionEmbeddings(256)
              .rope(new RopeGeometry(64, 10000))
              .bosTokenId(1)
              .build();
      name = "random bundled-size model (dim 256, 6 layers, L 256)";
    } else {
      config = HfModelConfig.read(q.model()).config();
      name = q.model().toString();
    }
    Documents docs = documents(q, config);
    int original = config.originalLength();
    if (q.targetLength() <= original) {
      throw new IllegalArgumentException(
          "--target-length must exceed the model's original length " + original);
    }
    Path tmp;
    try {
      tmp = Files.createTempDirectory("bench-search");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      double s = (double) q.targetLength() / original;
      RopeTarget target = RopeTarget.longFactors(original, s, new MagnitudeScaling.Su());
      log.accept(
          String.format(Locale.ROOT, "search on %s at %d tokens ...", name, q.targetLength()));
      SearchResult r = modelSearch(q, config, docs, target, s, tmp.resolve("model"));
      log.accept("bookkeeping alone (official budget, synthetic fitness) ...");
      SearchConfig official =
          SearchConfig.defaults("dim_mono").withInit(List.of("pi", "ntk", "yarn"), null);
      SearchResult b;
      try (Evaluator ev = Evaluator.sequential(SearchBench::quadratic);
          RunRecord record =
              RunRecord.open(tmp.resolve("bookkeeping"), Json.MAPPER.createObjectNode(), false)) {
        b =
            new EvolutionSearch(official, problem(official, config, target, s))
                .run(ev, record, null);
      }
      return new Report(
          name,
          q.targetLength(),
          q.samples(),
          r.evaluatedNow(),
          r.cost().forwardTokens(),
          r.seconds(),
          r.fitnessSeconds(),
          r.fitness(),
          b.evaluatedNow(),
          b.seconds());
    } finally {
      AtomicFiles.deleteTree(tmp);
    }
  }

  private static Documents documents(Request q, ModelConfig config) {
    if (q.data() != null) {
      return DocumentSources.open(q.data(), () -> HfTokenizer.load(q.model()), "text");
    }
    SplittableRandom r = new SplittableRandom(1);
    List<int[]> raw = new ArrayList<>();
    for (int d = 0; d < q.samples(); d++) {
      raw.add(r.ints(q.targetLength(), 3, config.vocabSize()).toArray());
    }
    return new InMemoryDocuments(raw);
  }

  /** The timed search with the model's perplexity as fitness. */
  private static SearchResult modelSearch(
      Request q, ModelConfig config, Documents docs, RopeTarget target, double s, Path dir) {
    int p = q.population();
    SearchConfig c =
        SearchConfig.parse(
            String.format(
                Locale.ROOT,
                "{\"version\": 1, \"population\": %d, \"iterations\": %d, \"mutations\": %d,"
                    + " \"crossovers\": %d, \"parents\": %d, \"init\": [\"pi\", \"ntk\", \"yarn\"]}",
                p,
                q.iterations(),
                p / 2,
                p / 2,
                Math.max(2, p / 2)),
            "bench");
    SearchProblem problem = problem(c, config, target, s);
    Perplexity ppl = new Perplexity(q.targetLength(), 256, q.samples(), 0, true);
    try (Decoder decoder =
            q.model() == null
                ? Decoder.load(config, new RandomWeights(config, 0, 0.02))
                : HfModel.load(q.model(), config);
        Evaluator ev = Evaluator.sequential(new PerplexityFitness(decoder, docs, ppl, target));
        RunRecord record = RunRecord.open(dir, Json.MAPPER.createObjectNode(), false)) {
      // warm-up outside the timed run (first forward loads natives)
      ev.evaluate(List.of(new Candidate(problem.seeds().get(0).factors(), 0, s)));
      return new EvolutionSearch(c, problem).run(ev, record, null);
    }
  }

  private static SearchProblem problem(
      SearchConfig c, ModelConfig config, RopeTarget target, double s) {
    int original = config.originalLength();
    return new SearchProblem(
        target, s, InitialFactors.resolve(c, config.rope(), s, original, 32, 1, null).seeds(), 0);
  }

  /** A cheap synthetic fitness: squared distance to a ramp. */
  static double quadratic(Candidate c) {
    double d = 0;
    for (int i = 0; i < c.pairs(); i++) {
      double t = 1 + 3.0 * i / c.pairs();
      d += (c.factor(i) - t) * (c.factor(i) - t);
    }
    return d;
  }
}
