package io.github.longrope.data;

import io.github.longrope.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Debian packages as plain file trees, without installing anything: {@code apt-get download NAME}
 * (no root, no dependencies) into {@code CACHE/debs/NAME/}, then {@code dpkg-deb -x} into {@code
 * CACHE/pkgs/NAME/}.
 *
 * <p>Both steps are cached: a {@code .deb} already in {@code CACHE/debs/NAME/} is used as it is (so
 * a machine without network can be given the files by hand), and an extracted tree is reused while
 * its marker names the same {@code .deb}. {@code refresh} downloads again (the newest version apt
 * knows).
 */
public final class DebianSource implements DatasetBuilder.Packages {
  private static final String MARKER = ".longrope-extracted-from";
  private static final long TIMEOUT_S = 900;

  private final Path cache;
  private final boolean refresh;
  private final Consumer<String> log;

  /**
   * @param cache the cache folder (e.g. {@code datasets/.cache})
   * @param refresh download even when a {@code .deb} is cached
   * @param log progress messages
   */
  public DebianSource(Path cache, boolean refresh, Consumer<String> log) {
    this.cache = cache;
    this.refresh = refresh;
    this.log = log;
  }

  @Override
  public DebianPackage fetch(String name) {
    Path debDir = cache.resolve("debs").resolve(name);
    Path deb = cached(debDir, name);
    if (deb == null || refresh) {
      deb = download(name, debDir);
    } else {
      log.accept("package " + name + ": cached " + deb.getFileName());
    }
    String version = field(deb, "Version");
    String pkg = field(deb, "Package");
    if (!pkg.equals(name)) {
      throw new IllegalArgumentException(deb + ": is package " + pkg + ", expected " + name);
    }
    Path root = cache.resolve("pkgs").resolve(name);
    String stamp = deb.getFileName() + " " + size(deb);
    if (!stamp.equals(readMarker(root))) {
      log.accept("package " + name + ": dpkg-deb -x " + deb.getFileName());
      Path tmp = cache.resolve("pkgs").resolve(".extract-" + name);
      AtomicFiles.deleteTree(tmp);
      AtomicFiles.deleteTree(root);
      try {
        Files.createDirectories(tmp);
        run(List.of("dpkg-deb", "-x", deb.toString(), tmp.toString()), null);
        Files.writeString(tmp.resolve(MARKER), stamp);
        Files.move(tmp, root, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot extract " + deb + ": " + e.getMessage(), e);
      }
    }
    return new DebianPackage(name, version, deb, root);
  }

  /** The one cached .deb of a package, or null; more than one is an error. */
  static Path cached(Path debDir, String name) {
    if (!Files.isDirectory(debDir)) {
      return null;
    }
    List<Path> debs = debs(debDir, name);
    if (debs.size() > 1) {
      throw new IllegalArgumentException(
          debDir + ": holds " + debs.size() + " .deb files of " + name + ": keep exactly one");
    }
    return debs.isEmpty() ? null : debs.get(0);
  }

  private static List<Path> debs(Path dir, String name) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(name + "_"))
          .filter(p -> p.getFileName().toString().endsWith(".deb"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private Path download(String name, Path debDir) {
    log.accept("package " + name + ": apt-get download");
    Path tmp = cache.resolve("debs").resolve(".download-" + name);
    AtomicFiles.deleteTree(tmp);
    try {
      Files.createDirectories(tmp);
      try {
        run(List.of("apt-get", "download", name), tmp);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            e.getMessage()
                + "\n(if apt does not know the package, run 'apt-get update' once as root; on a"
                + " machine without network, put "
                + name
                + "_*.deb into "
                + debDir
                + ")",
            e);
      }
      List<Path> got = debs(tmp, name);
      if (got.size() != 1) {
        throw new IllegalArgumentException(
            "apt-get download " + name + " left " + got.size() + " .deb files in " + tmp);
      }
      Files.createDirectories(debDir);
      for (Path old : debs(debDir, name)) {
        Files.delete(old);
      }
      Path deb = debDir.resolve(got.get(0).getFileName());
      Files.move(got.get(0), deb, StandardCopyOption.REPLACE_EXISTING);
      AtomicFiles.deleteTree(tmp);
      log.accept("package " + name + ": downloaded " + deb.getFileName());
      return deb;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot download " + name + ": " + e.getMessage(), e);
    }
  }

  /** A control field of a .deb ({@code dpkg-deb -f}). */
  static String field(Path deb, String field) {
    return run(List.of("dpkg-deb", "-f", deb.toString(), field), null).strip();
  }

  /** Runs a tool; returns its stdout+stderr; a failure names the command and shows the output. */
  static String run(List<String> cmd, Path dir) {
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot run '"
              + cmd.get(0)
              + "' ("
              + e.getMessage()
              + "): dataset preparation needs Debian's apt-get and dpkg-deb",
          e);
    }
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalArgumentException(String.join(" ", cmd) + ": timed out");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalArgumentException(
            String.join(" ", cmd) + " failed (exit " + p.exitValue() + "):\n" + text.strip());
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
    }
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readMarker(Path root) {
    Path m = root.resolve(MARKER);
    try {
      return Files.isRegularFile(m) ? Files.readString(m) : null;
    } catch (IOException e) {
      return null;
    }
  }
}
