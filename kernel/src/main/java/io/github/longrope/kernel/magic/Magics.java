package io.github.longrope.kernel.magic;

import io.github.longrope.kernel.jshell.CellEvaluator.Result;
import io.github.longrope.kernel.jshell.SessionView;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kernel's magics, compatible with IJava where they overlap.
 *
 * <ul>
 *   <li>{@code %classpath [PATH|GLOB ...]}, {@code %jars GLOB ...}: add jars or class folders
 *       (globs such as {@code lib/*.jar}, {@code ~} expanded); {@code %classpath} alone lists the
 *       class path.
 *   <li>{@code %maven group:artifact:version ...}: resolve with dependencies (local repository
 *       first, then online) and add; jars already on the kernel's class path are skipped, another
 *       version of one is refused ({@link MavenMagics}). {@code %mavenRepo id url} adds a
 *       repository, {@code %%loadFromPOM} reads dependencies and repositories from POM XML.
 *   <li>{@code %spark}: put the workbench's Spark engine (the built {@code spark} module) on the
 *       class path, so a search may use {@code SearchEngine.of("spark", master, conf)} ({@link
 *       SparkMagic}).
 *   <li>{@code %time CODE} / {@code %%time}: run and print the wall time; the value is kept.
 *   <li>{@code %load FILE}: run a file of Java snippets.
 *   <li>{@code %vars}, {@code %imports}, {@code %methods}: what the session holds.
 *   <li>{@code %lsmagic}, {@code %help [NAME]}: list and explain the magics.
 * </ul>
 */
public final class Magics {
  /** What magics need from the kernel. */
  public interface Context {
    /** Evaluates Java source that starts on line {@code firstLine} of the current cell. */
    Result evalJava(String code, int firstLine) throws Exception;

    /** Evaluates the Java of a script file ({@code %load}); errors name {@code name}. */
    Result evalScript(String code, String name) throws Exception;

    /** What the session holds ({@code %vars}, {@code %imports}, {@code %methods}). */
    SessionView session();

    /** Adds entries to JShell's compiler path and class loader. */
    void addToClasspath(List<Path> entries);

    /** Where magics print (the cell's stdout). */
    PrintStream out();
  }

  private final MavenMagics maven;
  private final ClassPathIndex kernel;
  private final Set<Path> added = new LinkedHashSet<>();

  public Magics(MavenResolver maven) {
    this(maven, ClassPathIndex.ofKernel());
  }

  Magics(MavenResolver maven, ClassPathIndex kernel) {
    this.maven = new MavenMagics(maven, kernel, this::add);
    this.kernel = kernel;
  }

  /** Runs a line magic; its result is the cell's value when the magic is the last part. */
  public Result line(CellParser.LineMagic magic, Context ctx) throws Exception {
    String args = magic.args();
    switch (magic.name()) {
      case "classpath":
        if (args.isBlank()) {
          return Result.of(classpathListing());
        }
        add(expand(args), ctx);
        return Result.NONE;
      case "jars":
        if (args.isBlank()) {
          throw new MagicException("%jars needs one or more paths or globs");
        }
        add(expand(args), ctx);
        return Result.NONE;
      case "maven":
        return maven.maven(args, ctx);
      case "mavenRepo":
        return maven.mavenRepo(args);
      case "spark":
        return SparkMagic.run(args, System.getProperty("longrope.home"), kernel, this, ctx);
      case "time":
        if (args.isBlank()) {
          throw new MagicException("%time needs code to run, e.g. %time search.run()");
        }
        return time(args, magic.line(), ctx);
      case "load":
        return load(args, ctx);
      case "vars":
        return Result.of(vars(ctx.session()));
      case "imports":
        return Result.of(String.join("\n", ctx.session().imports()));
      case "methods":
        return Result.of(methods(ctx.session()));
      case "help":
        return Result.of(help(args));
      case "lsmagic":
        return Result.of(
            "line magics: "
                + MagicNames.LINE.keySet().stream()
                    .map(m -> "%" + m)
                    .collect(Collectors.joining(" "))
                + "\ncell magics: "
                + MagicNames.CELL.keySet().stream()
                    .map(m -> "%%" + m)
                    .collect(Collectors.joining(" ")));
      default:
        throw new MagicException(
            "unknown line magic %"
                + magic.name()
                + " (available: "
                + MagicNames.lineList()
                + "; a Java line starting with % continues the statement before it)");
    }
  }

  /** Runs a cell magic. */
  public Result cell(CellParser.CellMagic magic, Context ctx) throws Exception {
    if (magic.name().equals("time")) {
      return time(magic.body(), magic.bodyFirstLine(), ctx);
    }
    if (magic.name().equals("loadFromPOM")) {
      return maven.loadFromPom(magic.body(), ctx);
    }
    throw new MagicException(
        "unknown cell magic %%" + magic.name() + " (available: " + MagicNames.cellList() + ")");
  }

  private static Result load(String args, Context ctx) throws Exception {
    if (args.isBlank()) {
      throw new MagicException("%load needs a file of Java snippets, e.g. %load setup.jsh");
    }
    String s = args.startsWith("~/") ? System.getProperty("user.home") + args.substring(1) : args;
    Path file = Path.of(s);
    if (!Files.isRegularFile(file)) {
      throw new MagicException("%load: no such file: " + file.toAbsolutePath());
    }
    return ctx.evalScript(Files.readString(file), file.getFileName().toString());
  }

  /** Variables as aligned columns: type, name, value. */
  static String vars(SessionView session) {
    List<String[]> rows = session.variables();
    if (rows.isEmpty()) {
      return "no variables yet";
    }
    List<String[]> all = new ArrayList<>();
    all.add(new String[] {"type", "name", "value"});
    all.addAll(rows);
    int[] width = new int[2];
    for (String[] r : all) {
      width[0] = Math.max(width[0], r[0].length());
      width[1] = Math.max(width[1], r[1].length());
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : all) {
      sb.append(pad(r[0], width[0]))
          .append("  ")
          .append(pad(r[1], width[1]))
          .append("  ")
          .append(r[2])
          .append('\n');
    }
    return sb.toString().stripTrailing();
  }

  private static String methods(SessionView session) {
    List<String> methods = session.methods();
    List<String> types = session.types();
    if (methods.isEmpty() && types.isEmpty()) {
      return "no methods or types yet";
    }
    StringBuilder sb = new StringBuilder();
    methods.forEach(m -> sb.append(m).append('\n'));
    types.forEach(t -> sb.append(t).append('\n'));
    return sb.toString().stripTrailing();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  /** All magics with a line each, or one magic ({@code %help maven}, {@code %help %%time}). */
  static String help(String args) throws MagicException {
    String name = args.strip();
    if (name.isEmpty()) {
      StringBuilder sb = new StringBuilder("Line magics (where a statement starts):\n");
      MagicNames.LINE.values().forEach(h -> sb.append("  ").append(h).append('\n'));
      sb.append("Cell magics (first line of a cell):\n");
      MagicNames.CELL.values().forEach(h -> sb.append("  ").append(h).append('\n'));
      sb.append(
          "Everything else is Java (JShell). Tab completes, Shift-Tab shows signatures and"
              + " Javadoc;\ndisplay(x) shows x, updateDisplay(id, x) redraws it.");
      return sb.toString();
    }
    if (name.startsWith("%%") && MagicNames.isCell(name.substring(2))) {
      return MagicNames.CELL.get(name.substring(2));
    }
    String line = name.startsWith("%") ? name.substring(1) : name;
    if (MagicNames.isLine(line)) {
      return MagicNames.LINE.get(line);
    }
    if (MagicNames.isCell(line)) {
      return MagicNames.CELL.get(line);
    }
    throw new MagicException(
        "%help: no magic named " + name + " (available: " + MagicNames.lineList() + ")");
  }

  private Result time(String code, int firstLine, Context ctx) throws Exception {
    long start = System.nanoTime();
    try {
      return ctx.evalJava(code, firstLine);
    } finally {
      ctx.out().println("Wall time: " + formatNanos(System.nanoTime() - start));
    }
  }

  /** 0.42 ms, 12.3 ms, 1.25 s, 2 min 5.0 s. */
  static String formatNanos(long nanos) {
    double ms = nanos / 1e6;
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.2f ms", ms);
    }
    if (ms < 1000) {
      return String.format(Locale.ROOT, "%.1f ms", ms);
    }
    double s = ms / 1000;
    if (s < 60) {
      return String.format(Locale.ROOT, "%.2f s", s);
    }
    return String.format(Locale.ROOT, "%d min %.1f s", (long) (s / 60), s % 60);
  }

  void add(List<Path> entries, Context ctx) {
    List<Path> fresh = new ArrayList<>();
    for (Path p : entries) {
      if (added.add(p.toAbsolutePath().normalize())) {
        fresh.add(p.toAbsolutePath().normalize());
      }
    }
    if (!fresh.isEmpty()) {
      ctx.addToClasspath(fresh);
    }
  }

  private String classpathListing() {
    StringBuilder sb = new StringBuilder("kernel class path:\n");
    for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      sb.append("  ").append(e).append('\n');
    }
    if (!added.isEmpty()) {
      sb.append("added in this session:\n");
      added.forEach(p -> sb.append("  ").append(p).append('\n'));
    }
    return sb.toString().stripTrailing();
  }

  /**
   * Paths separated by blanks or {@code :}; {@code ~/} is the home folder; {@code *}, {@code ?},
   * {@code [..]} and {@code **} are globs.
   */
  static List<Path> expand(String args) throws MagicException {
    List<Path> out = new ArrayList<>();
    for (String raw : args.split("[\\s" + Pattern.quote(File.pathSeparator) + "]+")) {
      if (raw.isBlank()) {
        continue;
      }
      String s = raw.startsWith("~/") ? System.getProperty("user.home") + raw.substring(1) : raw;
      if (!s.matches(".*[*?\\[].*")) {
        Path p = Path.of(s);
        if (!Files.exists(p)) {
          throw new MagicException("no such file or folder: " + p.toAbsolutePath());
        }
        out.add(p);
        continue;
      }
      List<Path> matches = glob(s);
      if (matches.isEmpty()) {
        throw new MagicException("no files match " + raw);
      }
      out.addAll(matches);
    }
    return out;
  }

  private static List<Path> glob(String pattern) throws MagicException {
    // the fixed prefix up to the first folder that holds a wildcard is the search root
    Path abs = Path.of(pattern).toAbsolutePath();
    Path root = abs.getRoot();
    int i = 0;
    for (; i < abs.getNameCount(); i++) {
      if (abs.getName(i).toString().matches(".*[*?\\[].*")) {
        break;
      }
    }
    Path base = i == 0 ? root : root.resolve(abs.subpath(0, i));
    boolean recursive = pattern.contains("**");
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + abs);
    int depth = recursive ? Integer.MAX_VALUE : abs.getNameCount() - i;
    try (Stream<Path> files = Files.walk(base, depth)) {
      return files.filter(matcher::matches).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new MagicException("cannot expand " + pattern + ": " + e.getMessage(), e);
    }
  }
}
