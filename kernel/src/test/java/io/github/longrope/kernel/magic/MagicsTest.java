package io.github.longrope.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.kernel.jshell.CellEvaluator.Result;
import io.github.longrope.kernel.jshell.SessionView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MagicsTest {
  /** Records what the magics ask of the kernel. */
  static final class FakeContext implements Magics.Context {
    final List<String> evaluated = new ArrayList<>();
    final List<Path> classpath = new ArrayList<>();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Override
    public Result evalJava(String code, int firstLine) {
      evaluated.add(firstLine + ":" + code);
      return Result.of("value of " + code);
    }

    @Override
    public Result evalScript(String code, String name) {
      evaluated.add(name + ":" + code);
      return Result.of("value of " + name);
    }

    @Override
    public SessionView session() {
      throw new UnsupportedOperationException("the session is tested with a real kernel");
    }

    @Override
    public void addToClasspath(List<Path> entries) {
      classpath.addAll(entries);
    }

    @Override
    public PrintStream out() {
      return out;
    }

    String printed() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  private final Magics magics = new Magics(new MavenResolver(Path.of("/nonexistent"), true));
  private final FakeContext ctx = new FakeContext();

  @Test
  void timeRunsTheCodeAndKeepsItsValue() throws Exception {
    Result r = magics.line(new CellParser.LineMagic("time", "work()", 4), ctx);
    assertEquals("value of work()", r.value());
    assertEquals(List.of("4:work()"), ctx.evaluated);
    assertTrue(ctx.printed().startsWith("Wall time: "), ctx.printed());
    Result c = magics.cell(new CellParser.CellMagic("time", "", "a;\nb", 2), ctx);
    assertEquals("value of a;\nb", c.value());
  }

  @Test
  void classpathAndJarsExpandGlobsAndAddOnce(@TempDir Path dir) throws Exception {
    Files.createFile(dir.resolve("a.jar"));
    Files.createFile(dir.resolve("b.jar"));
    Files.createFile(dir.resolve("notes.txt"));
    magics.line(new CellParser.LineMagic("jars", dir + "/*.jar", 1), ctx);
    assertEquals(List.of(dir.resolve("a.jar"), dir.resolve("b.jar")), ctx.classpath);
    magics.line(new CellParser.LineMagic("classpath", dir.resolve("a.jar").toString(), 1), ctx);
    assertEquals(2, ctx.classpath.size(), "a.jar was already added");
    String listing =
        (String) magics.line(new CellParser.LineMagic("classpath", "", 1), ctx).value();
    assertTrue(listing.contains("added in this session:") && listing.contains("b.jar"), listing);
  }

  @Test
  void missingFilesAndUnknownMagicsAreMagicExceptions(@TempDir Path dir) {
    MagicException missing =
        assertThrows(
            MagicException.class,
            () -> magics.line(new CellParser.LineMagic("jars", dir + "/nothing.jar", 1), ctx));
    assertTrue(missing.getMessage().startsWith("no such file"), missing.getMessage());
    assertThrows(
        MagicException.class,
        () -> magics.line(new CellParser.LineMagic("jars", dir + "/*.jar", 1), ctx));
    MagicException unknown =
        assertThrows(
            MagicException.class, () -> magics.line(new CellParser.LineMagic("nope", "", 1), ctx));
    assertTrue(unknown.getMessage().contains("%maven"), unknown.getMessage());
    assertThrows(
        MagicException.class, () -> magics.cell(new CellParser.CellMagic("nope", "", "x", 2), ctx));
    assertThrows(
        MagicException.class, () -> magics.line(new CellParser.LineMagic("time", " ", 1), ctx));
  }

  @Test
  void lsmagicListsTheMagics() throws Exception {
    String text = (String) magics.line(new CellParser.LineMagic("lsmagic", "", 1), ctx).value();
    assertTrue(text.contains("%classpath") && text.contains("%%time"), text);
  }

  @Test
  void aSecondVersionOfAKernelJarIsRefusedBeforeAnythingIsResolved(@TempDir Path dir)
      throws Exception {
    Path gson = Files.createFile(dir.resolve("gson-2.8.5.jar")); // no Maven metadata: by name
    Magics withGson =
        new Magics(
            new MavenResolver(dir.resolve("empty-repository"), true),
            new ClassPathIndex(List.of(gson)));
    MagicException e =
        assertThrows(
            MagicException.class,
            () ->
                withGson.line(
                    new CellParser.LineMagic("maven", "com.google.code.gson:gson:2.11.0", 1), ctx));
    assertTrue(
        e.getMessage()
            .contains(
                "com.google.code.gson:gson:2.11.0 conflicts with gson 2.8.5 on the kernel's class"
                    + " path (gson-2.8.5.jar)"),
        e.getMessage());
    assertTrue(e.getMessage().startsWith("%maven refused, nothing was added"), e.getMessage());
    assertTrue(ctx.classpath.isEmpty());
    // not in the (empty) local repository, and online resolution is off: a clear error
    MagicException missing =
        assertThrows(
            MagicException.class,
            () -> withGson.line(new CellParser.LineMagic("maven", "org.example:none:1.0", 1), ctx));
    assertTrue(missing.getMessage().contains("online resolution is off"), missing.getMessage());
  }

  @Test
  void coordinatesAndRepositoriesAreChecked() throws Exception {
    assertThrows(MagicException.class, () -> MavenResolver.checkCoordinate("just-a-name"));
    assertThrows(MagicException.class, () -> MavenResolver.checkCoordinate("g:a:<script>"));
    MavenResolver.checkCoordinate("org.example:nat:jar:linux:3");
    MagicException none =
        assertThrows(
            MagicException.class,
            () -> new MavenResolver(Path.of("/nonexistent"), true).resolve(List.of()));
    assertFalse(none.getMessage().isBlank());
    String listed =
        (String)
            magics
                .line(new CellParser.LineMagic("mavenRepo", "jitpack https://jitpack.io", 1), ctx)
                .value();
    assertTrue(listed.contains("central https://repo.maven.apache.org/maven2/"), listed);
    assertTrue(listed.contains("jitpack https://jitpack.io/"), listed);
    assertThrows(
        MagicException.class,
        () -> magics.line(new CellParser.LineMagic("mavenRepo", "x ftp://example.org", 1), ctx));
    assertThrows(
        MagicException.class,
        () -> magics.line(new CellParser.LineMagic("mavenRepo", "only-an-id", 1), ctx));
  }

  @Test
  void aPomFragmentGivesCoordinatesAndRepositories() throws Exception {
    PomFragment pom =
        PomFragment.read(
            "<properties><text.version>1.12.0</text.version></properties>\n"
                + "<repositories><repository><id>mine</id><url>https://repo.example.org/m2</url>"
                + "</repository></repositories>\n"
                + "<dependencies>\n"
                + "  <dependency><groupId>org.apache.commons</groupId>"
                + "<artifactId>commons-text</artifactId><version>${text.version}</version>"
                + "</dependency>\n"
                + "  <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter"
                + "</artifactId><version>5.10.0</version><scope>test</scope></dependency>\n"
                + "  <dependency><groupId>g</groupId><artifactId>nat</artifactId><version>2"
                + "</version><classifier>linux</classifier></dependency>\n"
                + "</dependencies>");
    assertEquals(
        List.of("org.apache.commons:commons-text:1.12.0", "g:nat:jar:linux:2"), pom.coordinates());
    assertEquals("mine", pom.repositories().get(0)[0]);
    assertEquals(
        List.of("a:b:1"),
        PomFragment.read(
                "<?xml version=\"1.0\"?>\n<project><dependencies><dependency><groupId>a</groupId>"
                    + "<artifactId>b</artifactId><version>1</version></dependency></dependencies>"
                    + "</project>")
            .coordinates());
    assertThrows(MagicException.class, () -> PomFragment.read("<dependency><groupId>a"));
    assertThrows(
        MagicException.class,
        () ->
            PomFragment.read(
                "<dependency><groupId>a</groupId><artifactId>b</artifactId></dependency>"));
  }

  @Test
  void loadRunsAFileAndHelpExplainsEveryMagic(@TempDir Path dir) throws Exception {
    Path script = Files.writeString(dir.resolve("setup.jsh"), "int loaded = 1;\n");
    Result r = magics.line(new CellParser.LineMagic("load", script.toString(), 1), ctx);
    assertEquals("value of setup.jsh", r.value());
    assertEquals(List.of("setup.jsh:int loaded = 1;\n"), ctx.evaluated);
    MagicException missing =
        assertThrows(
            MagicException.class,
            () -> magics.line(new CellParser.LineMagic("load", dir + "/none.jsh", 1), ctx));
    assertTrue(missing.getMessage().contains("none.jsh"), missing.getMessage());
    String help = (String) magics.line(new CellParser.LineMagic("help", "", 1), ctx).value();
    for (String name : MagicNames.LINE.keySet()) {
      assertTrue(help.contains("%" + name), name + " in\n" + help);
    }
    assertTrue(help.contains("%%time"), help);
    assertEquals(
        MagicNames.LINE.get("maven"),
        magics.line(new CellParser.LineMagic("help", "%maven", 1), ctx).value());
    assertThrows(
        MagicException.class, () -> magics.line(new CellParser.LineMagic("help", "nope", 1), ctx));
  }

  @Test
  void wallTimesReadWell() {
    assertEquals("0.42 ms", Magics.formatNanos(420_000));
    assertEquals("12.3 ms", Magics.formatNanos(12_300_000));
    assertEquals("1.25 s", Magics.formatNanos(1_250_000_000));
    assertEquals("2 min 5.0 s", Magics.formatNanos(125_000_000_000L));
  }
}
