package io.github.longrope.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache path of {@link DebianSource}, with a .deb built here (no network). */
class DebianSourceTest {
  @TempDir Path dir;

  static boolean dpkg() {
    try {
      DebianSource.run(List.of("dpkg-deb", "--version"), null);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  Path buildDeb(String name, String version, String text) throws Exception {
    Path tree = dir.resolve("build-" + version);
    Files.createDirectories(tree.resolve("DEBIAN"));
    Files.createDirectories(tree.resolve("usr/share/doc/" + name));
    Files.writeString(
        tree.resolve("DEBIAN/control"),
        "Package: "
            + name
            + "\nVersion: "
            + version
            + "\nArchitecture: all\nMaintainer: Test <t@example.org>\nDescription: test\n");
    Files.writeString(tree.resolve("usr/share/doc/" + name + "/text.txt"), text);
    Path deb = dir.resolve(name + "_" + version + "_all.deb");
    DebianSource.run(
        List.of("dpkg-deb", "--root-owner-group", "-b", tree.toString(), deb.toString()), null);
    return deb;
  }

  @Test
  void aCachedDebIsExtractedOnceAndItsVersionRead() throws Exception {
    assumeTrue(dpkg(), "dpkg-deb not available");
    Path cache = dir.resolve("cache");
    Path debs = Files.createDirectories(cache.resolve("debs/free-text"));
    Path deb = buildDeb("free-text", "1.2-3", "hello\n");
    Files.move(deb, debs.resolve(deb.getFileName()));
    List<String> log = new ArrayList<>();
    DebianSource source = new DebianSource(cache, false, log::add);

    DebianPackage p = source.fetch("free-text");
    assertEquals("1.2-3", p.version());
    assertEquals("hello\n", Files.readString(p.root().resolve("usr/share/doc/free-text/text.txt")));
    assertTrue(log.stream().anyMatch(l -> l.contains("dpkg-deb -x")), log.toString());

    log.clear();
    source.fetch("free-text");
    assertTrue(log.stream().noneMatch(l -> l.contains("dpkg-deb -x")), "reused: " + log);

    // a different .deb in the cache is extracted afresh
    Files.delete(debs.resolve(deb.getFileName()));
    Path newer = buildDeb("free-text", "1.2-4", "hello again\n");
    Files.move(newer, debs.resolve(newer.getFileName()));
    DebianPackage q = source.fetch("free-text");
    assertEquals("1.2-4", q.version());
    assertEquals(
        "hello again\n", Files.readString(q.root().resolve("usr/share/doc/free-text/text.txt")));

    Path second = buildDeb("free-text", "1.2-5", "x");
    Files.move(second, debs.resolve(second.getFileName()));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> source.fetch("free-text"))
            .getMessage()
            .contains("keep exactly one"));
  }
}
