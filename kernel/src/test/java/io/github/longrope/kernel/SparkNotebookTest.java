package io.github.longrope.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A notebook on Spark, in-process as the kernel runs cells: {@code %spark} puts the built spark
 * module on the session's class path (the test JVM itself has no Spark), then the notebook API runs
 * the tiny search of the bundled model on Spark {@code local[2]} with the live table ({@link
 * io.github.longrope.notebook.SearchMonitor}) attached, and on a Spark context the notebook keeps
 * and hands over ({@code SparkEngine.attach}), as it would one attached to a cluster. Both give the
 * local evaluator's history and result bit for bit; every Spark context is stopped at the end.
 *
 * <p>Needs the spark module packaged ({@code spark/target}): {@code mvn verify} packages it before
 * the kernel's tests (the root pom lists it first); a build of the kernel alone ({@code -pl kernel
 * -am}, which leaves Spark out) skips this test unless the module was packaged earlier.
 */
class SparkNotebookTest {
  private static LongRopeKernel kernel;
  private static int cell;

  @BeforeAll
  static void start() {
    Path home = JupyterTools.home();
    assumeTrue(
        Files.isRegularFile(home.resolve("spark/target/longrope-spark.jar"))
            && Files.isDirectory(home.resolve("spark/target/dependency")),
        "the spark module is not packaged (mvn -pl spark -am package -DskipTests)");
    kernel =
        new LongRopeKernel(
            KernelConfig.fromEnvironment(java.util.Map.of("LONGROPE_KERNEL_MAVEN_OFFLINE", "1")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (kernel == null) {
      return;
    }
    // whatever the test reached: no Spark context left running, no files left behind
    for (String cleanup :
        new String[] {
          "io.github.longrope.spark.SparkEngine.attach(null);",
          "if (notebookContext != null) notebookContext.stop();",
          "AtomicFiles.deleteTree(work);"
        }) {
      try {
        run(cleanup);
      } catch (Exception e) {
        // the cell's names may not exist when the test stopped early
      }
    }
    kernel.close();
  }

  /** Runs a cell; a failing cell fails the test with its code and the error as a user reads it. */
  private static Object run(String code) throws Exception {
    try {
      return kernel.runCell(code, ++cell).value();
    } catch (Exception e) {
      throw new AssertionError(
          "cell " + cell + ":\n" + code + "\n" + String.join("\n", kernel.formatError(e)), e);
    }
  }

  @Test
  void aNotebookSearchesOnSparkAndWatchesTheLiveTable() throws Exception {
    assertEquals(
        false,
        run(
            "boolean before; try { Class.forName(\"org.apache.spark.SparkContext\"); before = true;"
                + " } catch (ClassNotFoundException e) { before = false; }\nbefore"),
        "no Spark on the kernel's own class path");
    String added = (String) run("%spark");
    assertTrue(added.contains("Spark engine on the class path"), added);
    run(
        """
        import io.github.longrope.io.AtomicFiles;
        import io.github.longrope.notebook.*;
        import io.github.longrope.search.*;
        import io.github.longrope.search.run.*;
        import org.apache.spark.SparkConf;
        import org.apache.spark.api.java.JavaSparkContext;
        """);
    run(
        """
        Workbench.threads(1);
        JavaSparkContext notebookContext = null;
        Path work = Files.createTempDirectory("spark-notebook");
        Random random = new Random(20);
        int[] ids = new int[400];
        ids[0] = 1;
        for (int i = 1; i < ids.length; i++) ids[i] = 3 + random.nextInt(31_000);
        Files.writeString(work.resolve("docs.json"), "[" + Arrays.toString(ids) + "]");
        SearchConfig hyper = SearchConfig.parse(\"""
            {"version": 1, "population": 4, "iterations": 2, "mutations": 1, "crossovers": 1,
             "parents": 2, "init": ["pi", "ntk", "yarn"], "seed": 7}
            \""", "notebook");
        SearchSpec spec = SearchSpec.builder(Workbench.path("models/bundled"),
            work.resolve("docs.json"), 384, hyper).samples(1).build();
        List<String> history(Path run) {
          List<String> out = new ArrayList<>();
          for (HistoryEntry e : RunRecord.readHistory(run.resolve(RunRecord.HISTORY))) {
            out.add(e.generation() + " " + e.candidate() + " " + Double.doubleToLongBits(e.fitness()));
          }
          Collections.sort(out);
          return out;
        }
        boolean noSparkContext() {
          return org.apache.spark.SparkContext$.MODULE$.getActive().isEmpty();
        }
        """);
    run(
        """
        SearchJob.Outcome local = SearchJob.run(spec, work.resolve("local"), false, SearchListener.NONE);
        SearchMonitor monitor = SearchMonitor.of(work.resolve("spark"));
        int[] redraws = {0};
        monitor.onUpdate(m -> redraws[0]++);
        SearchJob.Outcome onSpark = SearchJob.run(spec, work.resolve("spark"), false, false,
            SearchEngine.of("spark", "local[2]", List.of()), 1, 512, monitor);
        """);
    assertEquals("spark", run("onSpark.engine().get(\"name\").asText()"));
    assertEquals("local[2]", run("onSpark.engine().get(\"master\").asText()"));
    assertEquals(2, run("onSpark.engine().get(\"workers\").asInt()"));
    assertEquals(true, run("history(work.resolve(\"local\")).size() >= 6"));
    assertEquals(
        true, run("history(work.resolve(\"local\")).equals(history(work.resolve(\"spark\")))"));
    assertEquals(
        true,
        run(
            "Double.doubleToLongBits(local.result().fitness())"
                + " == Double.doubleToLongBits(onSpark.result().fitness())"));
    assertEquals(true, run("local.result().best().equals(onSpark.result().best())"));
    // the live table: one row per generation (0, 1, 2), redrawn as candidates came back
    assertEquals(3, run("monitor.table().rowCount()"));
    assertEquals(true, run("redraws[0] >= history(work.resolve(\"spark\")).size()"));
    assertEquals(true, run("noSparkContext()"), "the search's own context is stopped");

    // a context the notebook keeps (here local[2]; a cluster's spark://… the same way)
    run(
        """
        notebookContext = new JavaSparkContext(new SparkConf().setMaster("local[2]")
            .setAppName("notebook").set("spark.ui.enabled", "false")
            .set("spark.driver.host", "127.0.0.1"));
        io.github.longrope.spark.SparkEngine.attach(notebookContext);
        SearchMonitor attachedMonitor = SearchMonitor.of(work.resolve("attached"));
        SearchJob.Outcome attached = SearchJob.run(spec, work.resolve("attached"), false, false,
            SearchEngine.of("spark", null, List.of()), 1, 512, attachedMonitor);
        """);
    assertEquals(
        true, run("history(work.resolve(\"local\")).equals(history(work.resolve(\"attached\")))"));
    assertEquals(3, run("attachedMonitor.table().rowCount()"));
    assertEquals(false, run("notebookContext.sc().isStopped()"), "the notebook's context stays");
    run(
        """
        io.github.longrope.spark.SparkEngine.attach(null);
        notebookContext.stop();
        """);
    assertEquals(true, run("noSparkContext()"));
  }
}
