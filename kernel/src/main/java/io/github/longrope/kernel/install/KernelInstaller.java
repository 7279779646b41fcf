package io.github.longrope.kernel.install;

import com.google.gson.GsonBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a Jupyter kernelspec for the kernel: {@code <data-dir>/kernels/<name>/kernel.json} plus
 * {@code lib/} with the kernel's jars (the kernel, the workbench library, their dependencies).
 *
 * <pre>{@code
 * KernelInstaller.Options o = KernelInstaller.Options.defaults(dataDir);
 * Path dir = KernelInstaller.install(o, classpathJars);
 * }</pre>
 *
 * <p>Jars are copied by default, so the installed kernel keeps working after {@code mvn clean} and
 * is not disturbed by a rebuild while a notebook runs; {@link Mode#SYMLINK} links them instead (a
 * rebuild then changes the installed kernel), and {@link Mode#IN_PLACE} (tests) puts the given
 * entries, class folders included, on the class path as they are.
 */
public final class KernelInstaller {
  /** The kernelspec name; notebooks refer to it in their metadata. */
  public static final String DEFAULT_NAME = "longrope";

  public static final String DEFAULT_DISPLAY_NAME = "LongRoPE (Java)";
  public static final String MAIN_CLASS = "io.github.longrope.kernel.Main";

  private KernelInstaller() {}

  /** How the class path reaches the kernelspec. */
  public enum Mode {
    COPY,
    SYMLINK,
    IN_PLACE
  }

  /**
   * What to install.
   *
   * @param name kernelspec folder name (lower-case letters, digits, {@code - . _})
   * @param displayName the name shown in Jupyter's kernel menu
   * @param dataDir the Jupyter data folder; the spec goes to {@code dataDir/kernels/name}
   * @param java the java executable the kernel runs with
   * @param jvmOptions extra JVM options (e.g. {@code -Xmx8g})
   * @param env environment variables for the kernel ({@code LONGROPE_KERNEL_*}, see KernelConfig)
   * @param longropeHome the repository root ({@code -Dlongrope.home}), or null
   * @param mode copy, symlink or reference the class path
   */
  public record Options(
      String name,
      String displayName,
      Path dataDir,
      Path java,
      List<String> jvmOptions,
      Map<String, String> env,
      String longropeHome,
      Mode mode) {

    public Options {
      Objects.requireNonNull(name, "name");
      if (!name.matches("[a-z0-9._-]+")) {
        throw new IllegalArgumentException(
            "kernel name must use lower-case letters, digits, '.', '_' and '-': " + name);
      }
      Objects.requireNonNull(displayName, "displayName");
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(java, "java");
      jvmOptions = List.copyOf(jvmOptions);
      env = Map.copyOf(env);
      Objects.requireNonNull(mode, "mode");
    }

    /** Default name, display name and JVM (this one); {@code -Dlongrope.home} passed on. */
    public static Options defaults(Path dataDir) {
      return new Options(
          DEFAULT_NAME,
          DEFAULT_DISPLAY_NAME,
          dataDir,
          Path.of(System.getProperty("java.home"), "bin", "java"),
          List.of(),
          Map.of(),
          System.getProperty("longrope.home"),
          Mode.COPY);
    }

    public Options withName(String n) {
      return new Options(n, displayName, dataDir, java, jvmOptions, env, longropeHome, mode);
    }

    public Options withDisplayName(String d) {
      return new Options(name, d, dataDir, java, jvmOptions, env, longropeHome, mode);
    }

    public Options withJava(Path j) {
      return new Options(name, displayName, dataDir, j, jvmOptions, env, longropeHome, mode);
    }

    public Options withJvmOptions(List<String> o) {
      return new Options(name, displayName, dataDir, java, o, env, longropeHome, mode);
    }

    public Options withEnv(Map<String, String> e) {
      return new Options(name, displayName, dataDir, java, jvmOptions, e, longropeHome, mode);
    }

    public Options withMode(Mode m) {
      return new Options(name, displayName, dataDir, java, jvmOptions, env, longropeHome, m);
    }

    /** {@code dataDir/kernels/name}. */
    public Path kernelDir() {
      return dataDir.resolve("kernels").resolve(name);
    }
  }

  /**
   * Jupyter's per-user data folder as jupyter_core computes it on Linux: {@code $JUPYTER_DATA_DIR},
   * else {@code $XDG_DATA_HOME/jupyter}, else {@code ~/.local/share/jupyter}.
   */
  public static Path userDataDir(Map<String, String> env) {
    String explicit = env.get("JUPYTER_DATA_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "jupyter");
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "jupyter");
  }

  /** The class path of this JVM (the installer runs on the kernel's own class path). */
  public static List<Path> ownClasspath() {
    List<Path> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!e.isBlank()) {
        out.add(Path.of(e).toAbsolutePath().normalize());
      }
    }
    return out;
  }

  /** Installs (or replaces) the kernelspec; returns its folder. */
  public static Path install(Options options, List<Path> classpath) throws IOException {
    if (classpath.isEmpty()) {
      throw new IllegalArgumentException("empty class path: nothing to install");
    }
    Path dir = options.kernelDir();
    Files.createDirectories(dir);
    Path lib = dir.resolve("lib");
    clearLib(lib);
    String classpathArg;
    if (options.mode() == Mode.IN_PLACE) {
      List<String> entries = new ArrayList<>();
      for (Path p : classpath) {
        entries.add(p.toAbsolutePath().toString());
      }
      classpathArg = String.join(File.pathSeparator, entries);
    } else {
      Files.createDirectories(lib);
      Set<String> names = new LinkedHashSet<>();
      for (Path p : classpath) {
        if (!Files.isRegularFile(p) || !p.toString().endsWith(".jar")) {
          throw new IllegalArgumentException(
              "only jars can be copied into a kernelspec, got "
                  + p
                  + " (build with `mvn package` and install from the packaged jars)");
        }
        String fileName = p.getFileName().toString();
        if (!names.add(fileName)) {
          throw new IllegalArgumentException("two class path jars are named " + fileName);
        }
        Path target = lib.resolve(fileName);
        if (options.mode() == Mode.SYMLINK) {
          Files.createSymbolicLink(target, p.toAbsolutePath());
        } else {
          Path tmp = lib.resolve(fileName + ".tmp");
          Files.copy(p, tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      classpathArg = lib.toAbsolutePath() + File.separator + "*";
    }
    String json = kernelJson(options, classpathArg);
    Path tmp = dir.resolve("kernel.json.tmp");
    Files.writeString(tmp, json, StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve("kernel.json"), StandardCopyOption.REPLACE_EXISTING);
    return dir;
  }

  /** The kernel.json text for {@code options} with {@code classpathArg} as {@code -cp}. */
  public static String kernelJson(Options options, String classpathArg) {
    List<String> argv = new ArrayList<>();
    argv.add(options.java().toString());
    argv.add("-Djava.awt.headless=true");
    argv.add("-Dai.djl.offline=true");
    argv.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    if (options.longropeHome() != null) {
      argv.add("-Dlongrope.home=" + Path.of(options.longropeHome()).toAbsolutePath().normalize());
    }
    if (options.jvmOptions().stream().noneMatch(KernelInstaller::setsHeap)) {
      argv.add(defaultHeapOption(physicalMemoryBytes()));
    }
    if (options.jvmOptions().stream().noneMatch(o -> o.startsWith("-XX:MaxDirectMemorySize"))) {
      argv.add(defaultDirectOption(physicalMemoryBytes()));
    }
    argv.addAll(sparkJvmOptions(options.longropeHome()));
    argv.addAll(options.jvmOptions());
    argv.add("-cp");
    argv.add(classpathArg);
    argv.add(MAIN_CLASS);
    argv.add("{connection_file}");
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("argv", argv);
    spec.put("display_name", options.displayName());
    spec.put("language", "java");
    spec.put("interrupt_mode", "message");
    spec.put("env", new LinkedHashMap<>(options.env()));
    spec.put("metadata", Map.of("debugger", false));
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n";
  }

  /**
   * The options Spark needs on Java 17 ({@code spark/jvm.options} of the repository, the list
   * {@code ./longrope} gives the CLI), so that {@code %spark} can put the Spark engine on a running
   * kernel's class path: they only open JDK packages to unnamed modules, which a JVM cannot do
   * after it started. None without a repository root or that file.
   */
  static List<String> sparkJvmOptions(String longropeHome) {
    if (longropeHome == null) {
      return List.of();
    }
    Path file = Path.of(longropeHome).resolve("spark/jvm.options");
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      List<String> out = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String o = line.trim();
        if (!o.isEmpty() && !o.startsWith("#")) {
          out.add(o);
        }
      }
      return out;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Removes the kernelspec; false when there was none. */
  public static boolean remove(Path dataDir, String name) throws IOException {
    Path dir = dataDir.resolve("kernels").resolve(name);
    if (!Files.exists(dir.resolve("kernel.json"))) {
      return false;
    }
    clearLib(dir.resolve("lib"));
    Files.deleteIfExists(dir.resolve("lib"));
    Files.deleteIfExists(dir.resolve("kernel.json"));
    try (DirectoryStream<Path> rest = Files.newDirectoryStream(dir)) {
      if (!rest.iterator().hasNext()) {
        Files.delete(dir);
      }
    }
    return true;
  }

  /**
   * The heap limit written into kernel.json unless {@code --jvm-opt} sets one: half the machine's
   * memory in whole GiB (at least 1), so the limit is visible and editable in the kernelspec rather
   * than the JVM's silent default of a quarter. Model weights and activations live in libtorch's
   * native memory, outside this limit.
   */
  static String defaultHeapOption(long physicalBytes) {
    long gib = Math.max(1, physicalBytes / 2 / (1L << 30));
    return "-Xmx" + gib + "g";
  }

  /**
   * The direct-memory limit for a kernel: the machine's memory. DJL keeps a CPU model's weights in
   * direct buffers, whose limit otherwise defaults to the heap limit; the workbench's memory plan
   * checks the real total before a load.
   */
  static String defaultDirectOption(long physicalBytes) {
    return "-XX:MaxDirectMemorySize=" + Math.max(1, physicalBytes / (1L << 20)) + "m";
  }

  private static boolean setsHeap(String jvmOption) {
    return jvmOption.startsWith("-Xmx")
        || jvmOption.startsWith("-XX:MaxRAMPercentage")
        || jvmOption.startsWith("-XX:MaxRAM=");
  }

  private static long physicalMemoryBytes() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 4L << 30;
  }

  /** Deletes the jars (files or links) a previous install put in {@code lib}. */
  private static void clearLib(Path lib) throws IOException {
    if (!Files.isDirectory(lib)) {
      return;
    }
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib)) {
      for (Path p : jars) {
        String n = p.getFileName().toString();
        if (n.endsWith(".jar") || n.endsWith(".jar.tmp")) {
          Files.delete(p);
        }
      }
    }
  }
}
