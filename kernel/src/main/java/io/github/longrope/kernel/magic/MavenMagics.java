package io.github.longrope.kernel.magic;

import io.github.longrope.kernel.jshell.CellEvaluator.Result;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code %maven}, {@code %mavenRepo} and {@code %%loadFromPOM}: resolution by {@link
 * MavenResolver}, then a check against the kernel's class path ({@link ClassPathIndex}) and the
 * artifacts added earlier in the session, so that one class path never holds two versions of an
 * artifact.
 */
final class MavenMagics {
  /** Adds jars to the session's class path (once each). */
  interface Adder {
    void add(List<Path> jars, Magics.Context ctx);
  }

  private final MavenResolver maven;
  private final ClassPathIndex kernel;
  private final Adder adder;
  private final Map<String, String> sessionArtifacts = new HashMap<>(); // group:artifact → version

  MavenMagics(MavenResolver maven, ClassPathIndex kernel, Adder adder) {
    this.maven = maven;
    this.kernel = kernel;
    this.adder = adder;
  }

  Result maven(String args, Magics.Context ctx) throws MagicException {
    List<String> coordinates =
        Stream.of(args.split("\\s+")).filter(s -> !s.isBlank()).collect(Collectors.toList());
    return mavenResolve(coordinates, ctx, "%maven");
  }

  Result mavenRepo(String args) throws MagicException {
    String[] p = args.isBlank() ? new String[0] : args.strip().split("\\s+");
    if (p.length == 2) {
      maven.addRepository(p[0], p[1]);
    } else if (p.length != 0) {
      throw new MagicException(
          "%mavenRepo needs an id and a URL, e.g. %mavenRepo jitpack https://jitpack.io");
    }
    return Result.of("Maven repositories:\n  " + String.join("\n  ", maven.repositories()));
  }

  Result loadFromPom(String body, Magics.Context ctx) throws MagicException {
    PomFragment pom = PomFragment.read(body);
    for (String[] repo : pom.repositories()) {
      maven.addRepository(repo[0], repo[1]);
    }
    return mavenResolve(pom.coordinates(), ctx, "%%loadFromPOM");
  }

  /**
   * Resolves and adds jars, but never a second version of an artifact the class path already has:
   * the kernel's own class loader would serve every class the two versions share from its copy, and
   * only the classes new in the requested version from the added jar. A requested artifact in
   * another version is refused (before anything is resolved); a dependency in another version is
   * left out with a warning (the kernel's version is used).
   */
  private Result mavenResolve(List<String> coordinates, Magics.Context ctx, String magic)
      throws MagicException {
    List<String> refused = new ArrayList<>();
    for (String c : coordinates) {
      MavenResolver.checkCoordinate(c);
      String[] p = c.split(":");
      String version = p[p.length - 1];
      conflict(p[0], p[1], version).ifPresent(refused::add);
    }
    if (!refused.isEmpty()) {
      throw new MagicException(
          magic
              + " refused, nothing was added:\n"
              + String.join("\n", refused)
              + "\nTwo versions on one class path mix silently: every class they share loads from"
              + " the one already there, classes new in the other from the added jar. Ask for the"
              + " version already there, or run code that needs another one in its own JVM.");
    }
    List<Path> fresh = new ArrayList<>();
    List<String> present = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (MavenResolver.Resolved r : maven.resolve(coordinates)) {
      String key = r.groupId() + ":" + r.artifactId();
      Optional<String> other = conflict(r.groupId(), r.artifactId(), r.version());
      if (other.isPresent()) {
        kept.add(other.get().strip() + " (wanted by the resolution: " + r.version() + ")");
      } else if (kernel.find(r.groupId(), r.artifactId()).isPresent()) {
        present.add(r.file().getFileName().toString());
      } else if (!r.version().equals(sessionArtifacts.get(key))) {
        sessionArtifacts.put(key, r.version());
        fresh.add(r.file());
      }
    }
    adder.add(fresh, ctx);
    PrintStream out = ctx.out();
    out.println(
        magic
            + ": added "
            + fresh.size()
            + (fresh.size() == 1 ? " jar" : " jars")
            + (fresh.isEmpty()
                ? ""
                : ": "
                    + fresh.stream()
                        .map(p -> p.getFileName().toString())
                        .collect(Collectors.joining(", "))));
    if (!present.isEmpty()) {
      out.println("  already on the kernel class path: " + String.join(", ", present));
    }
    for (String k : kept) {
      out.println("  warning: left out, " + k);
    }
    return Result.NONE;
  }

  /**
   * Why {@code group:artifact:version} cannot join the class path: the kernel's jar or one added in
   * this session is that artifact in another version; empty when it can.
   */
  private Optional<String> conflict(String group, String artifact, String version) {
    Optional<ClassPathIndex.Entry> k = kernel.find(group, artifact);
    if (k.isPresent() && !k.get().version().equals(version)) {
      return Optional.of(
          "  "
              + group
              + ":"
              + artifact
              + ":"
              + version
              + " conflicts with "
              + artifact
              + " "
              + k.get().version()
              + " on the kernel's class path ("
              + k.get().jar().getFileName()
              + ")");
    }
    String added = sessionArtifacts.get(group + ":" + artifact);
    if (added != null && !added.equals(version)) {
      return Optional.of(
          "  "
              + group
              + ":"
              + artifact
              + ":"
              + version
              + " conflicts with "
              + added
              + ", added earlier in this session");
    }
    return Optional.empty();
  }
}
