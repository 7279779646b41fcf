package io.github.longrope.kernel.magic;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one list of the kernel's magics: their names (what {@link CellParser} recognises, what
 * completion offers) and their one-line help ({@code %lsmagic}, {@code %help}).
 */
public final class MagicNames {
  private MagicNames() {}

  /** Line magics, {@code %name args}, in the order {@code %lsmagic} lists them. */
  public static final Map<String, String> LINE =
      ordered(
          "classpath",
              "%classpath [PATH|GLOB ...]: add jars or class folders; alone: list the class path",
          "jars", "%jars GLOB ...: add jars (globs such as lib/*.jar, ~ for the home folder)",
          "maven",
              "%maven group:artifact:version ...: resolve with dependencies and add (another"
                  + " version of a jar the kernel has is refused)",
          "mavenRepo", "%mavenRepo [ID URL]: add a Maven repository for %maven; alone: list them",
          "spark",
              "%spark: put the Spark engine (the built spark module) on the class path; then"
                  + " search with SearchEngine.of(\"spark\", \"local[2]\" or a cluster URL, ...)",
          "time", "%time CODE: run Java CODE and print the wall time (the value is still shown)",
          "load", "%load FILE: run a file of Java snippets (a JShell script); errors name the file",
          "vars", "%vars: the session's variables: type, name, value",
          "imports", "%imports: the session's imports",
          "methods", "%methods: the session's methods and types",
          "lsmagic", "%lsmagic: list the magics",
          "help", "%help [NAME]: what the magics do (Tab completes, Shift-Tab shows a signature)");

  /** Cell magics, {@code %%name args} on the first line of a cell. */
  public static final Map<String, String> CELL =
      ordered(
          "time",
          "%%time: run the cell's Java and print the wall time",
          "loadFromPOM",
          "%%loadFromPOM: resolve the <dependency> and <repository> elements of the cell"
              + " (a pom.xml or a part of one), as %maven");

  /** Whether {@code name} (without the {@code %}) is a line magic. */
  public static boolean isLine(String name) {
    return LINE.containsKey(name);
  }

  /** Whether {@code name} (without the {@code %%}) is a cell magic. */
  public static boolean isCell(String name) {
    return CELL.containsKey(name);
  }

  /** "%classpath, %jars, ..." for error messages. */
  static String lineList() {
    return LINE.keySet().stream().map(m -> "%" + m).collect(Collectors.joining(", "));
  }

  /** "%%time, ..." for error messages. */
  static String cellList() {
    return CELL.keySet().stream().map(m -> "%%" + m).collect(Collectors.joining(", "));
  }

  private static Map<String, String> ordered(String... nameHelp) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameHelp.length; i += 2) {
      m.put(nameHelp[i], nameHelp[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
