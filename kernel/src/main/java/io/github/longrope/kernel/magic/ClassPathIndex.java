package io.github.longrope.kernel.magic;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The artifacts on the kernel's own class path, by artifact id and version, so that {@code %maven}
 * can tell when a requested jar is already there (skip it) or there in another version (a conflict:
 * the class loader would serve the kernel's copy of every class the two share).
 *
 * <p>A jar is named by its file name ({@code gson-2.8.5.jar}: artifact {@code gson}, version {@code
 * 2.8.5}, as Maven names jars both in a repository and in the kernelspec's copy); its group comes
 * from its {@code META-INF/maven/<group>/<artifact>/pom.properties} when it has one.
 */
public final class ClassPathIndex {
  private static final Pattern JAR = Pattern.compile("(.+?)-(\\d[^/]*)\\.jar");

  /** A jar of the kernel's class path; {@code groupId} empty when the jar does not say. */
  public record Entry(String groupId, String artifactId, String version, Path jar) {}

  private final List<Path> jars;

  public ClassPathIndex(List<Path> jars) {
    this.jars = List.copyOf(jars);
  }

  /** The kernel's class path ({@code java.class.path}). */
  public static ClassPathIndex ofKernel() {
    List<Path> jars = new ArrayList<>();
    for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (e.endsWith(".jar")) {
        jars.add(Path.of(e));
      }
    }
    return new ClassPathIndex(jars);
  }

  /** The kernel's jar of {@code groupId:artifactId}, in whatever version, if there is one. */
  public Optional<Entry> find(String groupId, String artifactId) {
    for (Path jar : jars) {
      Matcher m = JAR.matcher(jar.getFileName().toString());
      if (!m.matches() || !m.group(1).equals(artifactId)) {
        continue;
      }
      String group = groupOf(jar, artifactId);
      if (group.isEmpty() || group.equals(groupId)) {
        return Optional.of(new Entry(group, artifactId, m.group(2), jar));
      }
    }
    return Optional.empty();
  }

  /**
   * The kernel's jar of the same artifact as {@code jar} (named by its file name and, when it says,
   * its group), in whatever version; empty when the kernel has none or the name is not Maven's.
   */
  public Optional<Entry> sameArtifact(Path jar) {
    Matcher m = JAR.matcher(jar.getFileName().toString());
    if (!m.matches()) {
      return Optional.empty();
    }
    return find(groupOf(jar, m.group(1)), m.group(1));
  }

  /** The version in a Maven jar name ({@code gson-2.13.1.jar}: 2.13.1), or "" when none. */
  static String versionOf(Path jar) {
    Matcher m = JAR.matcher(jar.getFileName().toString());
    return m.matches() ? m.group(2) : "";
  }

  /** The group id in the jar's Maven metadata, or "" when it has none. */
  private static String groupOf(Path jar, String artifactId) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        String name = e.getName();
        if (name.startsWith("META-INF/maven/")
            && name.endsWith("/" + artifactId + "/pom.properties")) {
          Properties p = new Properties();
          try (InputStream in = zip.getInputStream(e)) {
            p.load(in);
          }
          return p.getProperty("groupId", "");
        }
      }
    } catch (IOException e) {
      return "";
    }
    return "";
  }
}
