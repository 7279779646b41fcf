package io.github.longrope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.data.DocumentSources;
import io.github.longrope.data.Documents;
import io.github.longrope.data.InMemoryDocuments;
import io.github.longrope.eval.Perplexity;
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
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code longrope bench search}: evaluations per second of the search on a model, and how the wall
 * time splits between the fitness (forward passes) and the search's own bookkeeping (operators,
 * de-duplication, the fsynced history, CSVs). Then the bookkeeping alone over the official budget
 * (64 + 40 × 32 candidates) with a synthetic fitness.
 *
 * <p>Default model: the bundled model's architecture with random weights (dim 256, 6 layers, 4/2
 * heads, vocab 32000, L = 256), random token documents; {@code --model}/{@code --data} use real
 * ones.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = "Search evaluations/s and the share of wall time in the forward pass.")
public final class BenchSearchCommand implements Callable<Integer> {
  @Mixin JsonOption json;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "HF model directory (default: random bundled-size model).")
  Path model;

  @Option(
      names = "--data",
      paramLabel = "PATH",
      description = "Token data (default: random documents).")
  Path data;

  @Option(
      names = "--target-length",
      paramLabel = "N",
      description = "Fitness length (default 1024 = 4x the random model's L).")
  int targetLength = 1024;

  @Option(names = "--samples", paramLabel = "N", description = "Documents per fitness (default 2).")
  int samples = 2;

  @Option(
      names = "--population",
      paramLabel = "N",
      description = "Population (default 8; the bench runs 2 iterations of 4 + 4 children).")
  int population = 8;

  @Option(names = "--iterations", paramLabel = "N", description = "Iterations (default 2).")
  int iterations = 2;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "libtorch threads (default: all cores).")
  Integer threads;

  @Spec CommandSpec spec;

  /** What was measured. */
  public record Report(
      String model,
      int targetLength,
      int samples,
      long evaluations,
      double seconds,
      double fitnessSeconds,
      long bookkeepingCandidates,
      double bookkeepingSeconds) {
    double evaluationsPerSecond() {
      return evaluations / seconds;
    }

    double forwardShare() {
      return fitnessSeconds / seconds;
    }

    double bookkeepingMsPerCandidate() {
      return 1000 * (seconds - fitnessSeconds) / Math.max(1, evaluations);
    }

    double bookkeepingAloneMsPerCandidate() {
      return 1000 * bookkeepingSeconds / Math.max(1, bookkeepingCandidates);
    }
  }

  @Override
  public Integer call() throws IOException {
    if (threads != null) {
      ModelOptions.setThreads(threads);
    }
    if (targetLength < 2 || samples < 1 || population < 2 || iterations < 0) {
      throw new IllegalArgumentException(
          "need --target-length >= 2, --samples >= 1, --population >= 2, --iterations >= 0");
    }
    PrintWriter err = spec.commandLine().getErr();
    ModelConfig config;
    String name;
    if (model == null) {
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
      config = HfModelConfig.read(model).config();
      name = model.toString();
    }
    Documents docs;
    if (data == null) {
      SplittableRandom r = new SplittableRandom(1);
      List<int[]> raw = new ArrayList<>();
      for (int d = 0; d < samples; d++) {
        raw.add(r.ints(targetLength, 3, config.vocabSize()).toArray());
      }
      docs = new InMemoryDocuments(raw);
    } else {
      docs = DocumentSources.open(data, () -> HfTokenizer.load(model), "text");
    }
    int original = config.originalLength();
    if (targetLength <= original) {
      throw new IllegalArgumentException(
          "--target-length must exceed the model's original length " + original);
    }
    double s = (double) targetLength / original;
    SearchConfig c =
        SearchConfig.parse(
            String.format(
                Locale.ROOT,
                "{\"version\": 1, \"population\": %d, \"iterations\": %d, \"mutations\": %d,"
                    + " \"crossovers\": %d, \"parents\": %d, \"init\": [\"pi\", \"ntk\", \"yarn\"]}",
                population,
                iterations,
                population / 2,
                population / 2,
                Math.max(2, population / 2)),
            "bench");
    RopeTarget target = RopeTarget.longFactors(original, s, new MagnitudeScaling.Su());
    SearchProblem problem =
        new SearchProblem(
            target,
            s,
            InitialFactors.resolve(c, config.rope(), s, original, 32, 1, null).seeds(),
            0);
    Path tmp = Files.createTempDirectory("bench-search");
    try {
      SearchResult r;
      err.printf(Locale.ROOT, "search on %s at %d tokens ...%n", name, targetLength);
      err.flush();
      try (Decoder decoder =
              model == null
                  ? Decoder.load(config, new RandomWeights(config, 0, 0.02))
                  : HfModel.load(model, config);
          Evaluator ev =
              Evaluator.sequential(
                  new PerplexityFitness(
                      decoder, docs, new Perplexity(targetLength, 256, samples, 0, true), target));
          RunRecord record =
              RunRecord.open(tmp.resolve("model"), Json.MAPPER.createObjectNode(), false)) {
        // warm-up outside the timed run (first forward loads natives)
        ev.evaluate(List.of(new Candidate(problem.seeds().get(0).factors(), 0, s)));
        r = new EvolutionSearch(c, problem).run(ev, record, null);
      }
      err.println("bookkeeping alone (official budget, synthetic fitness) ...");
      err.flush();
      SearchConfig official =
          SearchConfig.defaults("dim_mono").withInit(List.of("pi", "ntk", "yarn"), null);
      SearchProblem same =
          new SearchProblem(
              target,
              s,
              InitialFactors.resolve(official, config.rope(), s, original, 32, 1, null).seeds(),
              0);
      SearchResult b;
      try (Evaluator ev = Evaluator.sequential(BenchSearchCommand::quadratic);
          RunRecord record =
              RunRecord.open(tmp.resolve("bookkeeping"), Json.MAPPER.createObjectNode(), false)) {
        b = new EvolutionSearch(official, same).run(ev, record, null);
      }
      Report report =
          new Report(
              name,
              targetLength,
              samples,
              r.evaluatedNow(),
              r.seconds(),
              r.fitnessSeconds(),
              b.evaluatedNow(),
              b.seconds());
      PrintWriter out = spec.commandLine().getOut();
      out.print(json.enabled() ? Json.write(toJson(report)) : toText(report));
      out.flush();
      return 0;
    } finally {
      deleteTree(tmp);
    }
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

  static ObjectNode toJson(Report r) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("model", r.model());
    o.put("target_length", r.targetLength());
    o.put("samples", r.samples());
    o.put("evaluations", r.evaluations());
    o.put("seconds", r.seconds());
    o.put("evaluations_per_second", r.evaluationsPerSecond());
    o.put("fitness_seconds", r.fitnessSeconds());
    o.put("forward_share", r.forwardShare());
    o.put("bookkeeping_ms_per_candidate", r.bookkeepingMsPerCandidate());
    o.put("bookkeeping_alone_candidates", r.bookkeepingCandidates());
    o.put("bookkeeping_alone_seconds", r.bookkeepingSeconds());
    o.put("bookkeeping_alone_ms_per_candidate", r.bookkeepingAloneMsPerCandidate());
    return o;
  }

  static String toText(Report r) {
    return String.format(
        Locale.ROOT,
        "model: %s, fitness: ppl at %d tokens on %d documents%n"
            + "search: %d evaluations in %.2f s = %.3f evaluations/s%n"
            + "  in the fitness (forward): %.2f s = %.1f%% of wall time (target >= 95%%)%n"
            + "  search bookkeeping: %.2f ms per candidate (history fsync included)%n"
            + "bookkeeping alone, official budget with a synthetic fitness: %d candidates in %.2f s"
            + " = %.2f ms per candidate%n",
        r.model(),
        r.targetLength(),
        r.samples(),
        r.evaluations(),
        r.seconds(),
        r.evaluationsPerSecond(),
        r.fitnessSeconds(),
        100 * r.forwardShare(),
        r.bookkeepingMsPerCandidate(),
        r.bookkeepingCandidates(),
        r.bookkeepingSeconds(),
        r.bookkeepingAloneMsPerCandidate());
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
