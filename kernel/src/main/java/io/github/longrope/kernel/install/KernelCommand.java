package io.github.longrope.kernel.install;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./longrope kernel install|remove|spec}: installs the kernelspec for the current user. Runs
 * on the kernel's own class path (the launcher starts it from {@code kernel/target}), which is what
 * gets installed.
 */
public final class KernelCommand {
  static final String USAGE =
      """
      Usage: longrope kernel <command> [options]

      Commands:
        install   install the Jupyter kernelspec "LongRoPE (Java)" for the current user
        remove    remove it
        spec      print the kernel.json that install would write

      Options:
        --name NAME           kernelspec name (default: longrope)
        --display-name TEXT   name in Jupyter's kernel menu (default: LongRoPE (Java))
        --data-dir DIR        Jupyter data folder (default: $JUPYTER_DATA_DIR, else
                              $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter)
        --prefix DIR          use DIR/share/jupyter (a virtualenv, /usr/local, ...)
        --java PATH           java executable for the kernel (default: this JVM's)
        --jvm-opt OPTION      extra JVM option, repeatable (e.g. --jvm-opt=-Xmx8g; without
                              an -Xmx the heap limit is half the machine's memory)
        --env NAME=VALUE      kernel environment variable, repeatable
                              (e.g. LONGROPE_KERNEL_MAX_ROWS=50, see kernel/README.md)
        --link                symlink the jars instead of copying them: follows rebuilds
                              (the install for contributors)
        -h, --help            show this help
      """;

  private KernelCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.getenv()));
  }

  /** Runs a command line; returns the exit status (0 ok, 1 failure, 2 bad usage). */
  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
      (args.length == 0 ? err : out).print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    if (!List.of("install", "remove", "spec").contains(command)) {
      err.println("longrope kernel: unknown command '" + command + "'\n");
      err.print(USAGE);
      return 2;
    }
    KernelInstaller.Options options;
    try {
      options = parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println("longrope kernel " + command + ": error: " + e.getMessage());
      return 2;
    }
    if (options == null) {
      out.print(USAGE);
      return 0;
    }
    try {
      switch (command) {
        case "spec" ->
            out.print(
                KernelInstaller.kernelJson(
                    options, options.kernelDir().resolve("lib").toAbsolutePath() + "/*"));
        case "remove" -> {
          if (KernelInstaller.remove(options.dataDir(), options.name())) {
            out.println("removed kernelspec '" + options.name() + "' from " + options.kernelDir());
          } else {
            out.println("no kernelspec '" + options.name() + "' in " + options.dataDir());
          }
        }
        default -> {
          Path dir = KernelInstaller.install(options, KernelInstaller.ownClasspath());
          out.println("installed kernelspec '" + options.name() + "' in " + dir);
          out.println(
              "start Jupyter with `jupyter notebook notebooks/` and pick \""
                  + options.displayName()
                  + "\"; run a notebook headless with `jupyter nbconvert --to notebook"
                  + " --execute NOTEBOOK.ipynb`");
        }
      }
      return 0;
    } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
      err.println("longrope kernel " + command + ": error: " + e.getMessage());
      return 1;
    }
  }

  /** The options of a command line; null when help was asked for. */
  static KernelInstaller.Options parse(String[] args, Map<String, String> env) {
    String name = KernelInstaller.DEFAULT_NAME;
    String displayName = KernelInstaller.DEFAULT_DISPLAY_NAME;
    Path dataDir = null;
    Path prefix = null;
    Path java = null;
    List<String> jvmOptions = new ArrayList<>();
    Map<String, String> kernelEnv = new LinkedHashMap<>();
    boolean link = false;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        value = a.substring(eq + 1);
        a = a.substring(0, eq);
      }
      switch (a) {
        case "-h", "--help" -> {
          return null;
        }
        case "--link" -> link = true;
        case "--name",
            "--display-name",
            "--data-dir",
            "--prefix",
            "--java",
            "--jvm-opt",
            "--env" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(a + " needs a value");
            }
            value = args[++i];
          }
          switch (a) {
            case "--name" -> name = value;
            case "--display-name" -> displayName = value;
            case "--data-dir" -> dataDir = Path.of(value);
            case "--prefix" -> prefix = Path.of(value);
            case "--java" -> java = Path.of(value);
            case "--jvm-opt" -> jvmOptions.add(value);
            default -> {
              int e = value.indexOf('=');
              if (e <= 0) {
                throw new IllegalArgumentException("--env needs NAME=VALUE, got '" + value + "'");
              }
              kernelEnv.put(value.substring(0, e), value.substring(e + 1));
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
      }
    }
    if (dataDir != null && prefix != null) {
      throw new IllegalArgumentException("give --data-dir or --prefix, not both");
    }
    Path data =
        dataDir != null
            ? dataDir
            : prefix != null
                ? prefix.resolve("share").resolve("jupyter")
                : KernelInstaller.userDataDir(env);
    KernelInstaller.Options o =
        KernelInstaller.Options.defaults(data.toAbsolutePath().normalize())
            .withName(name)
            .withDisplayName(displayName)
            .withJvmOptions(jvmOptions)
            .withEnv(kernelEnv)
            .withMode(link ? KernelInstaller.Mode.SYMLINK : KernelInstaller.Mode.COPY);
    return java == null ? o : o.withJava(java.toAbsolutePath());
  }
}
