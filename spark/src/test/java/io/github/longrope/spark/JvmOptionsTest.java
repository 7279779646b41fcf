package io.github.longrope.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * The JVM options the driver needs on Java 17 are written once in {@code spark/jvm.options}
 * (./longrope reads it): they must be Spark's own list ({@link JavaModuleOptions}, less the vector
 * incubator module), and the tests must run with them (the pom's argLine).
 */
class JvmOptionsTest {
  static List<String> fileOptions() throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(TinySearch.home().resolve("spark/jvm.options"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        out.add(line.trim());
      }
    }
    return out;
  }

  @Test
  void theFileIsSparksListAndTheTestsUseIt() throws Exception {
    Set<String> spark = new LinkedHashSet<>(List.of(JavaModuleOptions.defaultModuleOptionArray()));
    spark.remove("--add-modules=jdk.incubator.vector");
    assertEquals(spark, new LinkedHashSet<>(fileOptions()));
    List<String> running = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (String o : fileOptions()) {
      assertTrue(running.contains(o), "the test JVM lacks " + o + ": " + running);
    }
  }
}
