package io.github.longrope.cli;

import io.github.longrope.search.run.SearchEngine;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a search evaluates its candidates, declared once for {@code search}, {@code pipeline} and
 * {@code bench search}: {@code --engine}, {@code --master}, {@code --spark-conf} and the local
 * engine's {@code --devices}, read into one {@link SearchEngine}. Like {@code --workers}, a runtime
 * choice: a resume may change it.
 */
public final class SearchEngineOptions {
  @Option(
      names = "--engine",
      paramLabel = "NAME",
      description =
          "Where candidates are evaluated: local (default; --workers decoders in this JVM) or"
              + " spark (one Spark job per generation; needs the spark module, see docs/spark.md).")
  String engine;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master: local[N], spark://HOST:PORT, yarn or k8s://… (default: spark-submit's,"
              + " else local[*]).")
  String master;

  @Option(
      names = "--spark-conf",
      paramLabel = "KEY=VALUE",
      description = "A Spark setting, repeatable (e.g. spark.executor.memory=8g).")
  List<String> sparkConf;

  @Option(
      names = "--devices",
      split = ",",
      paramLabel = "DEV",
      description =
          "Local engine: one decoder per listed device (cpu, gpu or gpu:N; e.g. gpu:0,gpu:1;"
              + " a device listed twice gets two), candidates spread over them as --workers"
              + " spreads them; --workers may then be left out or must equal the count.")
  List<String> devices;

  /**
   * The engine the flags name, checked before a command reads anything: {@code --master} needs a
   * distributed engine, and that engine's module must be on the class path; {@code --devices} must
   * name devices this build and machine have (starts the native engine: call after the thread
   * setting).
   */
  public SearchEngine engine() {
    return checked(SearchEngine.of(engine, master, sparkConf, devices));
  }

  /**
   * The flags' engine when any of them is given, else {@code fromFile} (a config file's {@code
   * engine} object), checked the same way.
   */
  public SearchEngine engine(java.util.function.Supplier<SearchEngine> fromFile) {
    boolean flags = engine != null || master != null || sparkConf != null || devices != null;
    return flags ? engine() : checked(fromFile.get());
  }

  private static SearchEngine checked(SearchEngine e) {
    if (!e.isLocal()) {
      e.factory();
    } else if (!e.devices().isEmpty()) {
      e.placements(e.devices().size()); // a GPU this build lacks: exit 2 before anything is read
    }
    return e;
  }
}
