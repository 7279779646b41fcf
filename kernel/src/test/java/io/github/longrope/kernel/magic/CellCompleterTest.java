package io.github.longrope.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.kernel.jshell.CellEvaluator.Completion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Tab offers where: magic names, Java inside %time, coordinates after %maven. */
class CellCompleterTest {
  @TempDir Path repo;
  private CellCompleter completer;

  /** The Java completer's calls: the text it saw and the cursor. */
  private final List<String> javaCalls = new ArrayList<>();

  private final CellCompleter.Java java =
      (code, cursor) -> {
        javaCalls.add(code + "@" + cursor);
        return new Completion(List.of("java"), cursor, cursor);
      };

  @BeforeEach
  void repository() throws Exception {
    for (String v : List.of("2.8.5", "2.11.0", "2.10.1")) {
      Path dir = repo.resolve("com/google/code/gson/gson/" + v);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("gson-" + v + ".pom"), "<project/>");
    }
    Path lang = repo.resolve("org/apache/commons/commons-lang3/3.14.0");
    Files.createDirectories(lang);
    Files.writeString(lang.resolve("commons-lang3-3.14.0.pom"), "<project/>");
    Files.createDirectories(repo.resolve("org/apiguardian"));
    completer = new CellCompleter(new LocalRepository(repo));
  }

  private Completion at(String cellWithBar) {
    int cursor = cellWithBar.indexOf('|');
    return completer.complete(cellWithBar.replace("|", ""), cursor, java);
  }

  @Test
  void magicNamesAfterAPercentWhereAMagicMayStand() {
    Completion c = at("%cl|");
    assertEquals(List.of("%classpath"), c.matches());
    assertEquals(0, c.start());
    assertEquals(3, c.end());
    Completion all = at("int a = 1;\n  %|");
    assertTrue(
        all.matches().containsAll(List.of("%maven", "%time", "%lsmagic")),
        all.matches().toString());
    assertEquals(13, all.start());
    assertEquals(List.of("%%time"), at("%%ti|").matches());
    assertTrue(javaCalls.isEmpty(), javaCalls.toString());
  }

  @Test
  void aPercentThatContinuesAnExpressionIsJava() {
    Completion c = at("int bucket = step\n    %ti|");
    assertEquals(List.of("java"), c.matches());
    assertEquals(List.of("int bucket = step\n    %ti@25"), javaCalls);
  }

  @Test
  void javaAfterTimeSeesTheCodeButNotTheMagicName() {
    at("int k = 1;\n%time lambdas.col|");
    assertEquals(List.of("int k = 1;\n      lambdas.col@28"), javaCalls);
    javaCalls.clear();
    at("%%time\nMath.ma|");
    assertEquals(List.of("      \nMath.ma@14"), javaCalls);
    javaCalls.clear();
    at("%maven g:a:1\nMath.ma|");
    assertEquals(List.of("            \nMath.ma@20"), javaCalls);
  }

  @Test
  void mavenCoordinatesComeFromTheLocalRepository() {
    assertEquals(List.of("org.apache", "org.apiguardian"), at("%maven org.ap|").matches());
    assertEquals(
        List.of("org.apache.commons:commons-lang3:"),
        at("%maven org.apache.commons.commons-|").matches());
    assertEquals(
        List.of("com.google.code.gson:gson:"), at("%maven com.google.code.gson:|").matches());
    Completion versions = at("%maven x:y:1 com.google.code.gson:gson:2.|");
    assertEquals(
        List.of(
            "com.google.code.gson:gson:2.11.0",
            "com.google.code.gson:gson:2.10.1",
            "com.google.code.gson:gson:2.8.5"),
        versions.matches());
    assertEquals("%maven x:y:1 ".length(), versions.start());
    assertEquals(List.of(), at("%maven nothing.here|").matches());
  }

  @Test
  void fileNamesAfterJarsClasspathAndLoad() throws Exception {
    Files.writeString(repo.resolve("script.jsh"), "1");
    Completion c = at("%load " + repo + "/scr|");
    assertEquals(List.of(repo + "/script.jsh"), c.matches());
  }
}
