package io.github.longrope.spark;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.Json;
import io.github.longrope.model.EngineThreads;
import io.github.longrope.search.SearchConfig;
import io.github.longrope.search.SearchListener;
import io.github.longrope.search.SearchResult;
import io.github.longrope.search.run.SearchEngine;
import io.github.longrope.search.run.SearchJob;
import io.github.longrope.search.run.SearchSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * {@code ./longrope bench search --engine spark}: the same search three times, on the local
 * evaluator (one decoder), on Spark {@code local[2]} and on a two-worker standalone cluster started
 * on 127.0.0.1 ({@link StandaloneCluster}), each decoder with one libtorch thread; evaluations/s of
 * each, and per generation the scheduling overhead: the generation's wall time beyond what a
 * zero-cost scheduler with the same task slots would take for the same evaluation times (greedy, in
 * batch order, as the local parallel evaluator runs them), as a share of that time.
 *
 * <p>Flags: {@code --model DIR} (default models/bundled), {@code --data PATH} (default the corpus'
 * search split), {@code --target-length N} (2048), {@code --samples N} (2), {@code --population N}
 * (12), {@code --iterations N} (3), {@code --children N} (6 mutations + 6 crossovers), {@code
 * --json}: the quickstart's search by default.
 */
public final class SparkBench {
  private SparkBench() {}

  public static void main(String[] args) throws Exception {
    int status;
    try {
      status = run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("longrope bench search --engine spark: error: " + e.getMessage());
      status = 2;
    }
    System.exit(status);
  }

  static int run(String[] args) throws IOException {
    Path home = Path.of(System.getProperty("longrope.home", ".")).toAbsolutePath().normalize();
    Path model = home.resolve("models/bundled");
    Path data = home.resolve("datasets/corpus/data/search");
    int target = 2048;
    int samples = 2;
    int population = 12;
    int iterations = 3;
    int children = 6;
    boolean json = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--json" -> json = true;
        case "--help", "-h" -> {
          System.out.println(
              "Usage: longrope bench search --engine spark [--model DIR] [--data PATH]"
                  + " [--target-length N] [--samples N] [--population N] [--iterations N]"
                  + " [--children N] [--json]\n"
                  + "The same search on the local evaluator, Spark local[2] and a 2-worker"
                  + " standalone cluster on 127.0.0.1: evaluations/s and the per-generation"
                  + " scheduling overhead (docs/spark.md). Defaults: the quickstart's search.");
          return 0;
        }
        case "--engine" -> i++; // spark: how ./longrope routed here
        case "--model" -> model = Path.of(value(args, ++i, a));
        case "--data" -> data = Path.of(value(args, ++i, a));
        case "--target-length" -> target = number(args, ++i, a);
        case "--samples" -> samples = number(args, ++i, a);
        case "--population" -> population = number(args, ++i, a);
        case "--iterations" -> iterations = number(args, ++i, a);
        case "--children" -> children = number(args, ++i, a);
        default -> {
          System.err.println("longrope bench search --engine spark: error: unknown option " + a);
          return 2;
        }
      }
    }
    if (!Files.exists(model.resolve("config.json"))) {
      System.err.println("longrope bench search: error: --model " + model + " has no config.json");
      return 2;
    }
    EngineThreads.set(1);
    SearchConfig c =
        SearchConfig.parse(
            String.format(
                Locale.ROOT,
                "{\"version\": 1, \"population\": %d, \"iterations\": %d, \"mutations\": %d,"
                    + " \"crossovers\": %d, \"parents\": %d,"
                    + " \"init\": [\"pi\", \"ntk\", \"yarn\", \"yarn-exact\"], \"seed\": 42}",
                population,
                iterations,
                children,
                children,
                Math.min(population, 2 * children)),
            "bench");
    SearchSpec spec = SearchSpec.builder(model, data, target, c).samples(samples).build();
    Path work = Files.createTempDirectory("longrope-spark-bench");
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("model", io.github.longrope.io.RecordedPath.relative(home, model));
    out.put("target_length", target);
    out.put("samples", samples);
    out.put("population", population);
    out.put("iterations", iterations);
    out.put("children_per_iteration", 2 * children);
    out.put("threads_per_decoder", 1);
    out.put("cores", Runtime.getRuntime().availableProcessors());
    ArrayNode rows = out.putArray("engines");
    try {
      rows.add(measure("local", spec, work.resolve("local"), SearchEngine.LOCAL, 1));
      rows.add(
          measure(
              "spark local[2]",
              spec,
              work.resolve("local2"),
              SearchEngine.of("spark", "local[2]", List.of()),
              2));
      try (StandaloneCluster cluster = StandaloneCluster.start(2, 1, work.resolve("cluster"))) {
        rows.add(
            measure(
                "spark standalone, 2 workers x 1 core",
                spec,
                work.resolve("standalone"),
                SearchEngine.of("spark", cluster.url(), cluster.executorConf()),
                2));
      }
    } finally {
      deleteTree(work);
    }
    if (json) {
      System.out.println(Json.write(out));
    } else {
      System.out.println(text(out));
    }
    return 0;
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static int number(String[] args, int i, String flag) {
    String v = value(args, i, flag);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": expected a whole number, got '" + v + "'", e);
    }
  }

  static ObjectNode measure(
      String name, SearchSpec spec, Path run, SearchEngine engine, int slots) {
    System.err.println("bench: " + name + "...");
    long t0 = System.nanoTime();
    SearchJob.Outcome o =
        SearchJob.run(spec, run, false, false, engine, 1, 512, SearchListener.NONE);
    double wall = (System.nanoTime() - t0) / 1e9;
    SearchResult r = o.result();
    ObjectNode row = Json.MAPPER.createObjectNode();
    row.put("engine", name);
    row.put("task_slots", slots);
    row.put("evaluations", r.evaluatedNow());
    row.put("wall_seconds", wall);
    row.put("evaluations_per_second", r.evaluatedNow() / wall);
    row.put("fitness_seconds", r.fitnessSeconds());
    row.put("best_fitness", r.fitness());
    if (!engine.isLocal()) {
      List<SparkEvaluator.Generation> gens = SparkEngine.lastGenerations();
      ArrayNode g = row.putArray("generations");
      double over = 0;
      double ideal = 0;
      for (int i = 0; i < gens.size(); i++) {
        SparkEvaluator.Generation x = gens.get(i);
        double span = makespan(x.evaluations(), x.slots());
        ObjectNode gi = g.addObject();
        gi.put("candidates", x.candidates());
        gi.put("wall_seconds", x.wallSeconds());
        gi.put("ideal_seconds", span);
        gi.put("decoder_load_seconds", x.loadSeconds());
        gi.put("overhead_share", (x.wallSeconds() - span) / span);
        gi.put("executors", String.join(",", x.executors()));
        if (i > 0) {
          over += x.wallSeconds() - span;
          ideal += span;
        }
      }
      if (ideal > 0) {
        // after the first generation, which also loads the executors' decoders
        row.put("overhead_share_after_first_generation", over / ideal);
      }
    }
    return row;
  }

  /** The wall time of a zero-cost scheduler: each task to the slot that frees first, in order. */
  static double makespan(double[] seconds, int slots) {
    PriorityQueue<Double> free = new PriorityQueue<>();
    for (int s = 0; s < Math.max(1, slots); s++) {
      free.add(0.0);
    }
    double end = 0;
    for (double t : seconds) {
      double done = free.poll() + t;
      end = Math.max(end, done);
      free.add(done);
    }
    return end;
  }

  static String text(ObjectNode out) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "search bench (measured here; %d cores): target %d, %d samples, population %d, %d"
                + " iterations%n",
            out.get("cores").asInt(),
            out.get("target_length").asInt(),
            out.get("samples").asInt(),
            out.get("population").asInt(),
            out.get("iterations").asInt()));
    for (var r : out.get("engines")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-40s %3d evals  %7.1f s  %.3f ev/s%s%n",
              r.get("engine").asText(),
              r.get("evaluations").asInt(),
              r.get("wall_seconds").asDouble(),
              r.get("evaluations_per_second").asDouble(),
              r.has("overhead_share_after_first_generation")
                  ? String.format(
                      Locale.ROOT,
                      "  overhead %.1f%% (after gen 0)",
                      100 * r.get("overhead_share_after_first_generation").asDouble())
                  : ""));
    }
    return sb.toString();
  }

  private static void deleteTree(Path p) {
    try (var files = Files.walk(p)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
