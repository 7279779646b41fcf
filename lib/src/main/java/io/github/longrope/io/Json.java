package io.github.longrope.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.github.longrope.rope.FactorTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The project's one JSON mapper, and reading JSON files with errors that name the file. */
public final class Json {
  /**
   * Shared and thread-safe. Doubles print in shortest round-trip form. Reading accepts {@code NaN}
   * and {@code Infinity} (Python's {@code json} writes them) so that validation can reject them
   * with a message naming the key, rather than a bare syntax error. A {@link Path} in a serialised
   * record is written as given ({@code toString}), not as Jackson's default {@code file:} URI, so
   * reports show the paths the user typed.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .addModule(new SimpleModule().addSerializer(Path.class, ToStringSerializer.instance))
          .build();

  private Json() {}

  /** Reads a JSON file whose top level must be an object. */
  public static ObjectNode readObject(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new FormatException(file.toString(), "", "file not found");
    } catch (IOException e) {
      throw new FormatException(file.toString(), "", "cannot read: " + e.getMessage(), e);
    }
    return parseObject(text, file.toString());
  }

  /** Parses JSON text whose top level must be an object; {@code source} names it in errors. */
  public static ObjectNode parseObject(String text, String source) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new FormatException(source, where, "malformed JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new FormatException(
          source, "", "expected a JSON object at the top level, got " + describe(node));
    }
    return (ObjectNode) node;
  }

  /** Pretty JSON text with a trailing newline. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  /** A JSON array of numbers. */
  public static ArrayNode array(double[] values) {
    ArrayNode a = MAPPER.createArrayNode();
    for (double v : values) {
      a.add(v);
    }
    return a;
  }

  /**
   * Rescale factors as HF writes them: one array when every layer shares the vector (the usual
   * {@code long_factor}), else one array per layer (the workbench's per-layer extension).
   */
  public static ArrayNode factors(FactorTable table) {
    if (table.isShared()) {
      return array(table.row(0));
    }
    ArrayNode rows = MAPPER.createArrayNode();
    for (double[] row : table.rows()) {
      rows.add(array(row));
    }
    return rows;
  }

  /** A short description of a JSON value for error messages. */
  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    String text = node.toString();
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + (text.length() > 60 ? text.substring(0, 57) + "..." : text);
  }
}
