package io.github.longrope.kernel.magic;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Resolves Maven coordinates with their runtime dependencies to jar files by running Maven itself
 * ({@code mvn dependency:build-classpath} on a throw-away POM), so version mediation, BOMs and
 * exclusions follow Maven's own rules.
 *
 * <p>The local repository ({@code ~/.m2}) is tried first, offline; only when that fails, and {@code
 * offlineOnly} is false, Maven runs again online (its configured remote repositories, Maven Central
 * by default).
 */
public final class MavenResolver {
  /** The dependency plugin the project's build already uses (so it is in the local repo). */
  static final String DEPENDENCY_PLUGIN =
      "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath";

  private static final Pattern COORDINATE =
      Pattern.compile("[A-Za-z0-9_.\\-]+:[A-Za-z0-9_.\\-]+(:[A-Za-z0-9_.\\-]+){1,3}");
  private static final long TIMEOUT_MINUTES = 10;

  private final String mavenCommand;
  private final boolean offlineOnly;

  public MavenResolver(String mavenCommand, boolean offlineOnly) {
    this.mavenCommand = mavenCommand;
    this.offlineOnly = offlineOnly;
  }

  /** {@code group:artifact:version} (or with packaging and classifier) → a dependency element. */
  static String dependencyXml(String coordinate) throws MagicException {
    if (!COORDINATE.matcher(coordinate).matches()) {
      throw new MagicException(
          "not a Maven coordinate: '"
              + coordinate
              + "' (expected group:artifact:version, group:artifact:packaging:version or"
              + " group:artifact:packaging:classifier:version)");
    }
    String[] p = coordinate.split(":");
    StringBuilder sb = new StringBuilder("    <dependency>\n");
    sb.append("      <groupId>").append(p[0]).append("</groupId>\n");
    sb.append("      <artifactId>").append(p[1]).append("</artifactId>\n");
    sb.append("      <version>").append(p[p.length - 1]).append("</version>\n");
    if (p.length >= 4) {
      sb.append("      <type>").append(p[2]).append("</type>\n");
    }
    if (p.length == 5) {
      sb.append("      <classifier>").append(p[3]).append("</classifier>\n");
    }
    return sb.append("    </dependency>\n").toString();
  }

  /** A POM whose dependencies are the given coordinates. */
  static String pom(List<String> coordinates) throws MagicException {
    StringBuilder deps = new StringBuilder();
    for (String c : coordinates) {
      deps.append(dependencyXml(c));
    }
    return "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
        + "  <modelVersion>4.0.0</modelVersion>\n"
        + "  <groupId>local.kernel</groupId>\n"
        + "  <artifactId>maven-magic</artifactId>\n"
        + "  <version>1</version>\n"
        + "  <packaging>pom</packaging>\n"
        + "  <dependencies>\n"
        + deps
        + "  </dependencies>\n"
        + "</project>\n";
  }

  /** The jars of {@code coordinates} and their compile/runtime dependencies. */
  public List<Path> resolve(List<String> coordinates) throws MagicException {
    if (coordinates.isEmpty()) {
      throw new MagicException("%maven needs at least one group:artifact:version");
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("longrope-maven-magic");
      Files.writeString(dir.resolve("pom.xml"), pom(coordinates));
      String offline = run(dir, true);
      if (offline != null) {
        if (offlineOnly) {
          throw new MagicException(
              "cannot resolve "
                  + String.join(" ", coordinates)
                  + " from the local repository (online resolution is off):\n"
                  + offline);
        }
        String online = run(dir, false);
        if (online != null) {
          throw new MagicException(
              "cannot resolve " + String.join(" ", coordinates) + ":\n" + online);
        }
      }
      String classpath = Files.readString(dir.resolve("classpath.txt")).strip();
      List<Path> jars = new ArrayList<>();
      for (String entry : classpath.split(Pattern.quote(File.pathSeparator))) {
        if (!entry.isBlank()) {
          jars.add(Path.of(entry));
        }
      }
      return jars;
    } catch (IOException e) {
      throw new MagicException("Maven resolution failed: " + e.getMessage(), e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /** Runs Maven; returns null on success, else its output. */
  private String run(Path dir, boolean offline) throws IOException, MagicException {
    List<String> cmd = new ArrayList<>(List.of(mavenCommand, "-B", "-q"));
    if (offline) {
      cmd.add("-o");
    }
    cmd.add(DEPENDENCY_PLUGIN);
    cmd.add("-Dmdep.outputFile=classpath.txt");
    cmd.add("-Dmdep.includeScope=runtime");
    Path log = dir.resolve("maven.log");
    Process p;
    try {
      p =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new MagicException(
          "%maven runs Maven ('" + mavenCommand + "'), which was not found: " + e.getMessage());
    }
    try {
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new MagicException("Maven did not finish within " + TIMEOUT_MINUTES + " minutes");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new MagicException("interrupted while Maven was resolving");
    }
    if (p.exitValue() == 0 && Files.exists(dir.resolve("classpath.txt"))) {
      return null;
    }
    String out = Files.readString(log, StandardCharsets.UTF_8).replaceAll("\u001b\\[[0-9;]*m", "");
    return out.isBlank() ? "Maven exited with status " + p.exitValue() : out.strip();
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }
}
