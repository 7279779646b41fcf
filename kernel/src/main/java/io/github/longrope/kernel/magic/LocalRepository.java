package io.github.longrope.kernel.magic;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The local Maven repository ({@code maven.repo.local}, else {@code ~/.m2/repository}) as a source
 * of coordinates for {@code %maven} completion: group ids segment by segment, then artifact ids,
 * then versions (newest first).
 */
public final class LocalRepository {
  private static final int MAX_MATCHES = 200;

  private final Path root;

  public LocalRepository(Path root) {
    this.root = root;
  }

  /** The repository Maven itself uses on this machine. */
  public static LocalRepository standard() {
    String configured = System.getProperty("maven.repo.local");
    return new LocalRepository(
        configured != null
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".m2", "repository"));
  }

  public Path root() {
    return root;
  }

  /**
   * Completions of a half-typed coordinate: {@code org.apa} → {@code org.apache}; {@code
   * com.google.code.gson.g} → {@code com.google.code.gson:gson:}; {@code com.google.code.gson:g} →
   * {@code com.google.code.gson:gson:}; {@code com.google.code.gson:gson:2.1} → {@code
   * com.google.code.gson:gson:2.11.0}, ….
   */
  public List<String> complete(String typed) {
    String[] parts = typed.split(":", -1);
    List<String> out = new ArrayList<>();
    if (parts.length == 1) {
      int dot = typed.lastIndexOf('.');
      String parent = dot < 0 ? "" : typed.substring(0, dot);
      String partial = typed.substring(dot + 1);
      for (String child : children(groupDir(parent), partial)) {
        Path dir = groupDir(parent).resolve(child);
        if (!parent.isEmpty() && isArtifact(dir)) {
          out.add(parent + ":" + child + ":");
        } else {
          out.add(parent.isEmpty() ? child : parent + "." + child);
        }
      }
    } else if (parts.length == 2) {
      Path group = groupDir(parts[0]);
      for (String child : children(group, parts[1])) {
        if (isArtifact(group.resolve(child))) {
          out.add(parts[0] + ":" + child + ":");
        }
      }
    } else if (parts.length == 3) {
      Path artifact = groupDir(parts[0]).resolve(parts[1]);
      List<String> versions = children(artifact, parts[2]);
      versions.sort(VERSIONS.reversed());
      for (String v : versions) {
        out.add(parts[0] + ":" + parts[1] + ":" + v);
      }
    }
    return out.size() > MAX_MATCHES ? out.subList(0, MAX_MATCHES) : out;
  }

  private Path groupDir(String group) {
    return group.isEmpty() ? root : root.resolve(group.replace('.', File.separatorChar));
  }

  private static List<String> children(Path dir, String prefix) {
    if (!Files.isDirectory(dir)) {
      return new ArrayList<>();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix) && !n.startsWith("."))
          .sorted()
          .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    } catch (java.io.IOException e) {
      return new ArrayList<>();
    }
  }

  /** An artifact folder holds version folders with {@code <artifact>-<version>.pom}. */
  private static boolean isArtifact(Path dir) {
    String artifact = dir.getFileName().toString();
    for (String v : children(dir, "")) {
      if (Files.exists(dir.resolve(v).resolve(artifact + "-" + v + ".pom"))) {
        return true;
      }
    }
    return false;
  }

  /** Numeric parts compared as numbers ("2.11.0" after "2.8.5"), the rest as text. */
  static final Comparator<String> VERSIONS =
      (a, b) -> {
        String[] x = a.split("[.\\-]");
        String[] y = b.split("[.\\-]");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
          int c =
              x[i].matches("\\d{1,9}") && y[i].matches("\\d{1,9}")
                  ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]))
                  : x[i].compareTo(y[i]);
          if (c != 0) {
            return c;
          }
        }
        return Integer.compare(x.length, y.length);
      };

  @Override
  public String toString() {
    return "local Maven repository " + root;
  }
}
