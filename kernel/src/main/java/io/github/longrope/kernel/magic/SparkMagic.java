package io.github.longrope.kernel.magic;

import io.github.longrope.kernel.jshell.CellEvaluator.Result;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code %spark}: puts the workbench's Spark engine on the notebook's class path, so that a search
 * of this notebook can run with {@code --engine spark}'s evaluator: on Spark {@code local[N]} in
 * the kernel's JVM, or with the kernel as the driver of a cluster ({@code spark://HOST:PORT}, YARN,
 * Kubernetes). The engine is the {@code spark} module as {@code ./longrope} uses it: {@code
 * spark/target/longrope-spark.jar} and {@code spark/target/dependency/*} under the repository root
 * ({@code -Dlongrope.home}). The library finds it through {@code java.util.ServiceLoader} on the
 * cell thread's context class loader, which is the one these jars join.
 *
 * <p>Spark's dependencies that the kernel already has (gson, commons-io, slf4j, …) are not added:
 * the notebook's class loader asks the kernel's first, so a second copy would never be read; the
 * result names the versions that differ. Spark needs {@code --add-opens} options at JVM start
 * ({@code spark/jvm.options}), which a magic cannot add afterwards: {@code longrope kernel install}
 * writes them into the kernelspec, and {@code %spark} refuses, naming the fix, in a kernel started
 * without them.
 */
final class SparkMagic {
  private SparkMagic() {}

  /** What {@code %spark} added, for its result text. */
  record Added(Path engineJar, List<Path> jars, List<String> kernelVersions) {}

  /** Runs {@code %spark} (no arguments) with the repository root {@code home}. */
  static Result run(
      String args, String home, ClassPathIndex kernel, Magics magics, Magics.Context ctx)
      throws IOException, MagicException {
    if (!args.isBlank()) {
      throw new MagicException(
          "%spark takes no arguments; the master goes to the search:"
              + " SearchEngine.of(\"spark\", \"spark://HOST:7077\", List.of())");
    }
    if (home == null || home.isBlank()) {
      throw new MagicException(
          "%spark: no repository root (-Dlongrope.home) in this kernel; install the kernel with"
              + " `./longrope kernel install` from the repository");
    }
    Path root = Path.of(home);
    List<String> missing = missingJvmOptions(root);
    if (!missing.isEmpty()) {
      throw new MagicException(
          "%spark: this kernel's JVM was started without the options Spark needs on Java 17 ("
              + missing.size()
              + " of spark/jvm.options missing, e.g. "
              + missing.get(0)
              + "); reinstall the kernelspec with `./longrope kernel install` (it adds them) and"
              + " restart the kernel");
    }
    Added a = jars(root, kernel);
    List<Path> all = new ArrayList<>();
    all.add(a.engineJar());
    all.addAll(a.jars());
    magics.add(all, ctx);
    StringBuilder sb =
        new StringBuilder(
            "Spark engine on the class path: "
                + root.relativize(a.engineJar())
                + " and "
                + a.jars().size()
                + " jars of spark/target/dependency");
    if (!a.kernelVersions().isEmpty()) {
      sb.append("; the kernel's own copy kept of ").append(String.join(", ", a.kernelVersions()));
    }
    sb.append(
        ".\nSearch on it: SearchJob.run(spec, runDir, resume, false,"
            + " SearchEngine.of(\"spark\", \"local[2]\" or \"spark://HOST:7077\", List.of()),"
            + " 1, 512, monitor)");
    return Result.of(sb.toString());
  }

  /** The options of {@code spark/jvm.options} that this JVM was not started with. */
  static List<String> missingJvmOptions(Path root) throws IOException, MagicException {
    Path file = root.resolve("spark/jvm.options");
    if (!Files.isRegularFile(file)) {
      throw new MagicException("%spark: no " + file + " (is -Dlongrope.home the repository?)");
    }
    List<String> running = ManagementFactory.getRuntimeMXBean().getInputArguments();
    List<String> missing = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String o = line.trim();
      if (!o.isEmpty() && !o.startsWith("#") && !running.contains(o)) {
        missing.add(o);
      }
    }
    return missing;
  }

  /**
   * The spark module's jars under {@code root}: its own and those of its dependencies that the
   * kernel lacks (the workbench library is the kernel's).
   */
  static Added jars(Path root, ClassPathIndex kernel) throws IOException, MagicException {
    Path engine = root.resolve("spark/target/longrope-spark.jar");
    Path deps = root.resolve("spark/target/dependency");
    if (!Files.isRegularFile(engine) || !Files.isDirectory(deps)) {
      throw new MagicException(
          "%spark: the spark module is not built ("
              + engine
              + "); build it once with `mvn -pl spark -am package -DskipTests` in "
              + root
              + " (network needed the first time), or run `./longrope search … --engine spark`");
    }
    List<Path> jars = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    try (Stream<Path> files = Files.list(deps)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        if (jar.getFileName().toString().startsWith("longrope-lib-")) {
          continue;
        }
        Optional<ClassPathIndex.Entry> own = kernel.sameArtifact(jar);
        if (own.isEmpty()) {
          jars.add(jar.toAbsolutePath().normalize());
        } else if (!own.get().version().equals(ClassPathIndex.versionOf(jar))) {
          kept.add(
              own.get().artifactId()
                  + " "
                  + own.get().version()
                  + " (Spark's "
                  + ClassPathIndex.versionOf(jar)
                  + ")");
        }
      }
    }
    return new Added(engine.toAbsolutePath().normalize(), jars, kept);
  }
}
