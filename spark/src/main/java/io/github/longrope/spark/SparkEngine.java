package io.github.longrope.spark;

import io.github.longrope.search.Evaluator;
import io.github.longrope.search.run.EvaluatorFactory;
import io.github.longrope.search.run.FitnessSource;
import io.github.longrope.search.run.SearchEngine;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Engine {@code spark} ({@code --engine spark}): a {@link SparkEvaluator} on the cluster of {@code
 * --master} (default {@code local[*]}, or whatever spark-submit set), with every {@code
 * --spark-conf k=v} applied, started for the search and stopped with it. A notebook that keeps a
 * context attached to its cluster hands it over with {@link #attach}; searches then run on it and
 * leave it running.
 */
public final class SparkEngine implements EvaluatorFactory {
  /** The {@code --engine} name. */
  public static final String NAME = "spark";

  @Override
  public String name() {
    return NAME;
  }

  private static volatile JavaSparkContext attached;

  private static volatile SparkEvaluator last;

  /** The generations of the last Spark evaluator opened in this JVM (benchmarks). */
  static List<SparkEvaluator.Generation> lastGenerations() {
    SparkEvaluator e = last;
    return e == null ? List.of() : e.generations();
  }

  /**
   * Runs every later {@code spark} search of this JVM on {@code sc} (a notebook's context, attached
   * to its cluster once); null detaches. The caller stops it.
   */
  public static void attach(JavaSparkContext sc) {
    attached = sc;
  }

  @Override
  public Evaluator open(SearchEngine engine, FitnessSource source, List<String> warnings) {
    JavaSparkContext sc = attached;
    SparkContext active = sc == null || sc.sc().isStopped() ? null : sc.sc();
    if (active != null) {
      if (engine.master() != null && !engine.master().equals(active.master())) {
        warnings.add(
            "--master "
                + engine.master()
                + " ignored: this JVM already runs a Spark context on "
                + active.master());
      }
      last = new SparkEvaluator(JavaSparkContext.fromSparkContext(active), source, false);
    } else {
      last = new SparkEvaluator(new JavaSparkContext(conf(engine)), source, true);
    }
    return last;
  }

  /** The Spark settings of an engine spec. */
  static SparkConf conf(SearchEngine engine) {
    SparkConf conf = new SparkConf().setAppName("longrope-search");
    if (engine.master() != null) {
      conf.setMaster(engine.master());
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.ui.enabled", "false");
    if (conf.get("spark.master").startsWith("local")) {
      // everything in this JVM: no need to look for a network interface, and nothing listens
      // beyond the loopback
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    engine.conf().forEach(conf::set);
    return conf;
  }
}
