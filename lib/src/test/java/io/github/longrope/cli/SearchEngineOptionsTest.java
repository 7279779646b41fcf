package io.github.longrope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.io.Json;
import io.github.longrope.search.run.SearchEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --engine}, {@code --master} and {@code --spark-conf}: parsed into one {@link SearchEngine}
 * and its JSON form; an engine whose module is not on the class path (the library's own tests have
 * no Spark) is a clear error with exit 2 before anything is read or written.
 */
class SearchEngineOptionsTest {
  @TempDir Path dir;

  @Test
  void flagsAndJsonNameTheSameEngine() {
    SearchEngine e =
        SearchEngine.of(
            "spark", "spark://127.0.0.1:7077", List.of("spark.executor.memory=8g", "a.b=x=y"));
    assertEquals("spark", e.name());
    assertEquals(Map.of("spark.executor.memory", "8g", "a.b", "x=y"), e.conf());
    assertEquals(e, SearchEngine.fromJson(e.toJson(), "test"));
    assertTrue(SearchEngine.of(null, null, null).isLocal());
    assertEquals(SearchEngine.LOCAL, SearchEngine.fromJson(null, "test"));

    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class, () -> SearchEngine.of("spark", null, List.of("x")));
    assertTrue(bad.getMessage().contains("--spark-conf") && bad.getMessage().contains("'x'"));
    bad =
        assertThrows(
            IllegalArgumentException.class, () -> SearchEngine.of("local", "local[2]", List.of()));
    assertTrue(bad.getMessage().contains("--master"), bad.getMessage());
    bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> SearchEngine.fromJson(Json.parseObject("{\"nme\": \"spark\"}", "t"), "p.json"));
    assertTrue(bad.getMessage().contains("p.json") && bad.getMessage().contains("engine.nme"));
  }

  @Test
  void sparkWithoutItsModuleIsExitTwoBeforeAnythingIsWritten() throws Exception {
    Path run = dir.resolve("run");
    CliRun r =
        CliRun.of(
            "search",
            "--model",
            dir.resolve("no-model").toString(),
            "--data",
            dir.resolve("no-data.json").toString(),
            "--target-length",
            "64",
            "--run",
            run.toString(),
            "--engine",
            "spark",
            "--master",
            "local[2]");
    assertEquals(Main.BAD_INPUT, r.exit());
    assertTrue(r.err().contains("--engine spark") && r.err().contains("spark module"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertFalse(Files.exists(run), "nothing written");

    r = CliRun.of("search", "--run", run.toString(), "--engine", "mpi");
    assertEquals(Main.BAD_INPUT, r.exit());
    assertTrue(
        r.err().contains("--engine mpi") && r.err().contains("known: local, spark"), r.err());
  }
}
