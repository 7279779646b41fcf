package io.github.longrope.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The allowed dependencies stated in each package-info, checked on the imports: no kernel code
 * compiles against the workbench library, and the inner packages stay small.
 */
class DependencyRulesTest {
  private static final Path SOURCES =
      JupyterTools.home().resolve("kernel/src/main/java/io/github/longrope/kernel");
  private static final Pattern IMPORT = Pattern.compile("(?m)^import (static )?([\\w.]+)");

  /** Sub-package → import prefixes it may use besides java.*, javax.* and itself. */
  private static final Map<String, List<String>> ALLOWED =
      Map.of(
          "jshell", List.of("jdk.jshell."),
          "runtime", List.of(),
          "display",
              List.of("tech.tablesaw.", "org.knowm.xchart.", "io.github.spencerpark.jupyter."),
          "magic",
              List.of(
                  "io.github.longrope.kernel.jshell.",
                  "org.eclipse.aether.",
                  "org.w3c.dom.",
                  "org.xml.sax."),
          "install", List.of("com.google.gson."),
          "widgets", List.of("com.google.gson."),
          "comm",
              List.of(
                  "com.google.gson.",
                  "io.github.spencerpark.jupyter.",
                  "io.github.longrope.kernel.display.",
                  "io.github.longrope.kernel.widgets."));

  @Test
  void importsFollowThePackageRules() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = SOURCES.relativize(f.getParent()).toString();
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          String imported = m.group(2);
          if (imported.startsWith("io.github.longrope.")
              && !imported.startsWith("io.github.longrope.kernel.")) {
            violations.add(f.getFileName() + " imports the library: " + imported);
          }
          List<String> allowed = ALLOWED.get(pkg);
          if (allowed == null
              || imported.startsWith("java.")
              || imported.startsWith("javax.")
              || imported.startsWith("io.github.longrope.kernel." + pkg + ".")) {
            continue;
          }
          if (allowed.stream().noneMatch(imported::startsWith)) {
            violations.add(pkg + "/" + f.getFileName() + " imports " + imported);
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }
}
