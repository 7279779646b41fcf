package io.github.longrope.kernel.magic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;

/**
 * Resolves Maven coordinates with their runtime dependencies to jar files in this process, with
 * Maven's own resolver (maven-resolver and the Maven 3 model builder): version mediation, BOMs,
 * exclusions and optional dependencies follow Maven's rules, and no {@code mvn} process is started.
 *
 * <p>The local repository ({@code ~/.m2/repository}, or {@code -Dmaven.repo.local}) is tried first,
 * offline; only when that fails, and {@code offlineOnly} is false, the remote repositories are
 * asked (Maven Central, plus those added with {@link #addRepository}).
 */
public final class MavenResolver implements AutoCloseable {
  static final String CENTRAL_URL = "https://repo.maven.apache.org/maven2/";

  private static final Pattern COORDINATE =
      Pattern.compile("[A-Za-z0-9_.\\-]+:[A-Za-z0-9_.\\-]+(:[A-Za-z0-9_.\\-]+){1,3}");
  private static final Pattern REPOSITORY_ID = Pattern.compile("[A-Za-z0-9_.\\-]+");

  private final Path localRepository;
  private final boolean offlineOnly;
  private final Map<String, RemoteRepository> repositories = new LinkedHashMap<>();
  private RepositorySystem system; // made on first use (a few hundred ms)

  /** One jar of a resolution; {@code direct} when it is one of the requested coordinates. */
  public record Resolved(
      String groupId, String artifactId, String version, Path file, boolean direct) {
    /** {@code group:artifact:version}. */
    public String coordinate() {
      return groupId + ":" + artifactId + ":" + version;
    }
  }

  public MavenResolver(Path localRepository, boolean offlineOnly) {
    this.localRepository = localRepository;
    this.offlineOnly = offlineOnly;
    repositories.put(
        "central", new RemoteRepository.Builder("central", "default", CENTRAL_URL).build());
  }

  /** Checks {@code group:artifact[:packaging[:classifier]]:version}. */
  static void checkCoordinate(String coordinate) throws MagicException {
    if (!COORDINATE.matcher(coordinate).matches()) {
      throw new MagicException(
          "not a Maven coordinate: '"
              + coordinate
              + "' (expected group:artifact:version, group:artifact:packaging:version or"
              + " group:artifact:packaging:classifier:version)");
    }
  }

  /** Adds (or replaces) a remote repository ({@code %mavenRepo id url}). */
  public void addRepository(String id, String url) throws MagicException {
    if (!REPOSITORY_ID.matcher(id).matches()) {
      throw new MagicException("not a repository id: '" + id + "' (letters, digits, . _ -)");
    }
    if (!url.matches("(https?|file)://\\S+")) {
      throw new MagicException(
          "not a repository URL: '" + url + "' (http://, https:// or file://)");
    }
    repositories.put(
        id,
        new RemoteRepository.Builder(id, "default", url.endsWith("/") ? url : url + "/").build());
  }

  /** "central https://repo.maven.apache.org/maven2/", … */
  public List<String> repositories() {
    return repositories.values().stream().map(r -> r.getId() + " " + r.getUrl()).toList();
  }

  /** The jars of {@code coordinates} and of their compile/runtime dependencies. */
  public List<Resolved> resolve(List<String> coordinates) throws MagicException {
    if (coordinates.isEmpty()) {
      throw new MagicException("%maven needs at least one group:artifact:version");
    }
    for (String c : coordinates) {
      checkCoordinate(c);
    }
    try {
      return resolve(coordinates, true);
    } catch (DependencyResolutionException offline) {
      if (offlineOnly) {
        throw new MagicException(
            "cannot resolve "
                + String.join(" ", coordinates)
                + " from the local repository "
                + localRepository
                + " (online resolution is off): "
                + offline.getMessage());
      }
      try {
        return resolve(coordinates, false);
      } catch (DependencyResolutionException online) {
        throw new MagicException(
            "cannot resolve "
                + String.join(" ", coordinates)
                + " (repositories: "
                + String.join(", ", repositories())
                + "): "
                + online.getMessage());
      }
    }
  }

  private List<Resolved> resolve(List<String> coordinates, boolean offline)
      throws DependencyResolutionException {
    RepositorySystem sys = system();
    try (CloseableSession session =
        new SessionBuilderSupplier(sys)
            .get()
            .withLocalRepositoryBaseDirectories(localRepository)
            .setOffline(offline)
            .setSystemProperties(System.getProperties())
            .build()) {
      CollectRequest collect = new CollectRequest();
      List<String> direct = new ArrayList<>();
      for (String c : coordinates) {
        DefaultArtifact a = new DefaultArtifact(c);
        direct.add(a.getGroupId() + ":" + a.getArtifactId());
        collect.addDependency(new Dependency(a, "runtime"));
      }
      collect.setRepositories(
          sys.newResolutionRepositories(session, new ArrayList<>(repositories.values())));
      List<ArtifactResult> results =
          sys.resolveDependencies(session, new DependencyRequest(collect, null))
              .getArtifactResults();
      List<Resolved> out = new ArrayList<>();
      for (ArtifactResult r : results) {
        Artifact a = r.getArtifact();
        if (a == null || a.getPath() == null) {
          continue;
        }
        out.add(
            new Resolved(
                a.getGroupId(),
                a.getArtifactId(),
                a.getBaseVersion(),
                a.getPath(),
                direct.contains(a.getGroupId() + ":" + a.getArtifactId())));
      }
      return out;
    }
  }

  private synchronized RepositorySystem system() {
    if (system == null) {
      system = new RepositorySystemSupplier().get();
    }
    return system;
  }

  @Override
  public synchronized void close() {
    if (system != null) {
      system.shutdown();
      system = null;
    }
  }
}
