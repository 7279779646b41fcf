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
  @Option(names = "--engine", paramLabel = "NAME")
  String engine;

  @Option(names = "--master", paramLabel = "URL")
  String master;

  @Option(names = "--spark-conf", paramLabel = "KEY=VALUE")
  List<String> sparkConf;

  @Option(names = "--devices", split = ",", paramLabel = "DEV")
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
