package io.github.longrope.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %spark}'s checks, on a stand-in repository: a kernel started without Spark's JVM options,
 * an unbuilt spark module and arguments are refused with the fix named; the jars it adds leave out
 * the library and what the kernel already has, naming the versions that differ.
 */
class SparkMagicTest {
  @TempDir Path home;

  @Test
  void aKernelWithoutSparksJvmOptionsIsToldHowToGetThem() throws Exception {
    Files.createDirectories(home.resolve("spark"));
    Files.writeString(
        home.resolve("spark/jvm.options"),
        "# comment\n--add-opens=java.base/java.nonexistent=ALL-UNNAMED\n\n");
    assertEquals(
        List.of("--add-opens=java.base/java.nonexistent=ALL-UNNAMED"),
        SparkMagic.missingJvmOptions(home));
    MagicException e =
        assertThrows(
            MagicException.class,
            () -> SparkMagic.run("", home.toString(), new ClassPathIndex(List.of()), null, null));
    assertTrue(
        e.getMessage().contains("java.nonexistent")
            && e.getMessage().contains("./longrope kernel install"),
        e.getMessage());

    // the real list: the kernel's tests run with it, as an installed kernel does
    Path repo = Path.of(System.getProperty("longrope.home"));
    assertEquals(List.of(), SparkMagic.missingJvmOptions(repo));
  }

  @Test
  void anUnbuiltModuleAndArgumentsAreRefused() throws Exception {
    Files.createDirectories(home.resolve("spark"));
    Files.writeString(home.resolve("spark/jvm.options"), "# nothing needed here\n");
    MagicException e =
        assertThrows(
            MagicException.class,
            () -> SparkMagic.run("", home.toString(), new ClassPathIndex(List.of()), null, null));
    assertTrue(
        e.getMessage().contains("not built")
            && e.getMessage().contains("mvn -pl spark -am package"),
        e.getMessage());
    e =
        assertThrows(
            MagicException.class,
            () ->
                SparkMagic.run(
                    "local[2]", home.toString(), new ClassPathIndex(List.of()), null, null));
    assertTrue(e.getMessage().contains("no arguments"), e.getMessage());
    e =
        assertThrows(
            MagicException.class,
            () -> SparkMagic.run("", null, new ClassPathIndex(List.of()), null, null));
    assertTrue(e.getMessage().contains("longrope.home"), e.getMessage());
  }

  @Test
  void theJarsLeaveOutTheLibraryAndTheKernelsOwn() throws Exception {
    Path deps = Files.createDirectories(home.resolve("spark/target/dependency"));
    Files.writeString(home.resolve("spark/target/longrope-spark.jar"), "");
    for (String j :
        List.of(
            "longrope-lib-0.1.0-SNAPSHOT.jar",
            "gson-2.13.1.jar",
            "slf4j-api-2.0.17.jar",
            "spark-core_2.13-4.2.0.jar",
            "notes.txt")) {
      Files.writeString(deps.resolve(j), "");
    }
    Path kernelJars = Files.createDirectories(home.resolve("kernel-lib"));
    ClassPathIndex kernel =
        new ClassPathIndex(
            List.of(
                kernelJars.resolve("gson-2.8.5.jar"), kernelJars.resolve("slf4j-api-2.0.17.jar")));
    SparkMagic.Added a = SparkMagic.jars(home, kernel);
    assertEquals(home.resolve("spark/target/longrope-spark.jar"), a.engineJar());
    assertEquals(List.of(deps.resolve("spark-core_2.13-4.2.0.jar")), a.jars());
    assertEquals(List.of("gson 2.8.5 (Spark's 2.13.1)"), a.kernelVersions());
  }
}
