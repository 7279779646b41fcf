package io.github.longrope;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the fault-injection tests compare between a resumed run and an uninterrupted one: records
 * without their wall-clock fields, tables without their {@code seconds} column, and cells recorded
 * at most once.
 */
public final class FaultChecks {
  private FaultChecks() {}

  /** The JSON lines of {@code file} with the wall-clock fields {@code keys} removed. */
  public static List<String> linesWithout(Path file, String... keys) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      ObjectNode o = Json.parseObject(line, file.toString());
      o.remove(List.of(keys));
      out.add(o.toString());
    }
    return out;
  }

  /** The rows of a CSV table whose last column is {@code seconds}, without it. */
  public static List<String> csvWithoutSeconds(Path csv) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    assertTrue(lines.get(0).endsWith(",seconds"), csv + ": " + lines.get(0));
    return lines.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
  }

  /** Asserts that no two lines of a {@code cells.jsonl} record the same grid cell. */
  public static void assertNoCellTwice(Path cells) throws Exception {
    Set<String> keys = new HashSet<>();
    for (String line : Files.readAllLines(cells)) {
      JsonNode c = Json.parseObject(line, cells.toString());
      String key = c.get("method") + "/" + c.path("dataset") + "/" + c.get("length");
      assertTrue(keys.add(key), cells + ": cell " + key + " recorded twice");
    }
  }
}
