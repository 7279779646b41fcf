package io.github.longrope.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * How every run spec is read from JSON (search, training, evaluation plan, pipeline, quickstart):
 * one set of rules and one error format, so a user who learnt one file knows them all.
 *
 * <p>The rules: snake_case keys; an unknown key is an error that lists the known ones (a typo never
 * silently becomes a default); {@code "population": 6.7} is an error, not 6; an explicit {@code
 * null} for a number that has no "absent" meaning is an error. Every error is a {@link
 * FormatException} naming the file, the key path ({@code search.start_tokens.parents}, {@code
 * lengths[2]}) and the problem; a validation failure thrown by a record's constructor keeps its own
 * message (it already names the key).
 */
public final class RunSpecs {
  private RunSpecs() {}

  /** The mapper of every run spec (also writes them back, indented). */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  /**
   * Reads a spec file.
   *
   * @param what the kind of file in errors ("search config", "pipeline config", …)
   */
  public static <T> T read(Path file, Class<T> type, String what) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new FormatException(file.toString(), "", what + " not found");
    } catch (IOException e) {
      throw new FormatException(file.toString(), "", "cannot read: " + e.getMessage(), e);
    }
    return parse(text, type, file.toString(), what);
  }

  /** Parses spec text; {@code source} names it in errors. */
  public static <T> T parse(String text, Class<T> type, String source, String what) {
    try {
      return MAPPER.readValue(text, type);
    } catch (IOException e) {
      throw error(source, what, e);
    }
  }

  /** Binds an already parsed tree (after paths in it were resolved, for example). */
  public static <T> T convert(JsonNode tree, Class<T> type, String source, String what) {
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (IOException e) {
      throw error(source, what, e);
    }
  }

  /** A spec as a JSON tree, every default filled in. */
  public static JsonNode tree(Object spec) {
    return MAPPER.valueToTree(spec);
  }

  /** A spec as indented JSON text with a final newline. */
  public static String text(Object spec) {
    try {
      return MAPPER.writeValueAsString(spec) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The error of a failed read: the key path and problem, or the line of a syntax error. */
  static FormatException error(String source, String what, IOException e) {
    Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
    String msg = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    if (cause == e && e instanceof UnrecognizedPropertyException u) {
      List<String> known =
          u.getKnownPropertyIds() == null
              ? List.of()
              : u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
      msg = what + ": key '" + path(u) + "': unknown key; known: " + known;
    } else if (cause == e && e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      msg = what + ": key '" + path(m) + "': " + m.getOriginalMessage();
    } else if (cause == e && e instanceof JsonProcessingException j) {
      msg = j.getOriginalMessage();
      if (j.getLocation() != null && j.getLocation().getLineNr() > 0) {
        msg = "line " + j.getLocation().getLineNr() + ": " + msg;
      }
    }
    return new FormatException(source, "", msg, e);
  }

  /** The JSON path of a mapping error: {@code passkey.lengths[2]}. */
  static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
