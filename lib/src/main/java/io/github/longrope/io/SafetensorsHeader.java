package io.github.longrope.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.SafetensorsFile.Dtype;
import io.github.longrope.io.SafetensorsFile.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed and validated header of a safetensors file: an 8-byte little-endian length N, then N
 * bytes of UTF-8 JSON (possibly space-padded) mapping tensor names to {@code dtype}, {@code shape}
 * and {@code data_offsets} (relative to the first byte after the header), plus an optional {@code
 * __metadata__} object of strings.
 *
 * <p>Everything that can be checked without reading tensor data is checked here, against the file
 * size: a truncated download is reported with the number of missing bytes when the file is opened.
 */
record SafetensorsHeader(
    long dataStart, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
  /** The reference implementation's limit; larger values mean a corrupt or foreign file. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  /** Format dtypes this reader does not decode (named in the error rather than "unknown"). */
  static final Set<String> UNSUPPORTED =
      Set.of("F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64");

  static SafetensorsHeader read(String source, FileChannel channel) {
    try {
      return parse(source, channel);
    } catch (IOException e) {
      throw new FormatException(source, "header", "cannot read: " + e.getMessage(), e);
    }
  }

  private static SafetensorsHeader parse(String source, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw new FormatException(
          source,
          "header",
          "file is " + size + " bytes, too short for the 8-byte header length (not safetensors)");
    }
    long n = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 0 || n > size - 8) {
      throw new FormatException(
          source,
          "header",
          "declares a "
              + Long.toUnsignedString(n)
              + "-byte header but only "
              + (size - 8)
              + " bytes follow the length (truncated file, or not a safetensors file)");
    }
    if (n > MAX_HEADER_BYTES) {
      throw new FormatException(
          source, "header", "declares a " + n + "-byte header, over the format's 100 MB limit");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(readFully(channel, 8, (int) n))
              .toString();
    } catch (CharacterCodingException e) {
      throw new FormatException(source, "header", "is not valid UTF-8", e);
    }
    JsonNode root;
    try {
      root = Json.MAPPER.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION).readTree(text);
    } catch (JsonProcessingException e) {
      String at =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new FormatException(
          source, "header", "malformed JSON" + at + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new FormatException(
          source, "header", "must be a JSON object, got " + Json.describe(root));
    }
    long dataSize = size - 8 - n;
    Map<String, String> metadata = Map.of();
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (field.getKey().equals("__metadata__")) {
        metadata = metadata(source, field.getValue());
      } else {
        tensors.put(field.getKey(), entry(source, field.getKey(), field.getValue()));
      }
    }
    checkExtent(source, tensors.values(), dataSize);
    checkOverlaps(source, tensors.values());
    return new SafetensorsHeader(
        8 + n, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (channel.read(buf, position + buf.position()) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
    return buf.flip();
  }

  private static Map<String, String> metadata(String source, JsonNode node) {
    if (!node.isObject()) {
      throw new FormatException(
          source,
          "header",
          "__metadata__ must be an object of strings, got " + Json.describe(node));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw new FormatException(
            source,
            "header",
            "__metadata__ value '"
                + e.getKey()
                + "' must be a string, got "
                + Json.describe(e.getValue()));
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  private static TensorInfo entry(String source, String name, JsonNode node) {
    String where = "tensor '" + name + "'";
    if (!node.isObject()) {
      throw new FormatException(
          source,
          where,
          "must be an object with dtype, shape and data_offsets, got " + Json.describe(node));
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new FormatException(
          source, where, "'dtype' must be a string, got " + Json.describe(dtypeNode));
    }
    Dtype dtype = dtype(source, where, dtypeNode.textValue());
    long[] shape = integers(source, where, node, "shape");
    long[] offsets = integers(source, where, node, "data_offsets");
    for (long d : shape) {
      if (d < 0) {
        throw new FormatException(
            source, where, "shape " + Arrays.toString(shape) + " has a negative dimension");
      }
    }
    if (offsets.length != 2 || offsets[0] < 0 || offsets[0] > offsets[1]) {
      throw new FormatException(
          source,
          where,
          "data_offsets " + Arrays.toString(offsets) + " must be [begin, end], 0 ≤ begin ≤ end");
    }
    long bytes;
    try {
      long elements = 1;
      for (long d : shape) {
        elements = Math.multiplyExact(elements, d);
      }
      bytes = Math.multiplyExact(elements, dtype.size());
    } catch (ArithmeticException e) {
      throw new FormatException(source, where, "shape " + Arrays.toString(shape) + " is too large");
    }
    if (offsets[1] - offsets[0] != bytes) {
      throw new FormatException(
          source,
          where,
          "data_offsets "
              + Arrays.toString(offsets)
              + " span "
              + (offsets[1] - offsets[0])
              + " bytes, but "
              + dtype
              + " "
              + Arrays.toString(shape)
              + " needs "
              + bytes);
    }
    return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
  }

  private static Dtype dtype(String source, String where, String text) {
    for (Dtype d : Dtype.values()) {
      if (d.name().equals(text)) {
        return d;
      }
    }
    String supported = Arrays.toString(Dtype.values());
    throw new FormatException(
        source,
        where,
        (UNSUPPORTED.contains(text)
                ? "dtype " + text + " is not supported by this reader"
                : "unknown dtype '" + text + "'")
            + " (supported: "
            + supported.substring(1, supported.length() - 1)
            + ")");
  }

  private static long[] integers(String source, String where, JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null || !v.isArray()) {
      throw new FormatException(
          source, where, "'" + key + "' must be a list of integers, got " + Json.describe(v));
    }
    long[] out = new long[v.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode e = v.get(i);
      if (!e.isIntegralNumber() || !e.canConvertToLong()) {
        throw new FormatException(
            source, where, "'" + key + "' must be a list of integers, got " + Json.describe(v));
      }
      out[i] = e.longValue();
    }
    return out;
  }

  /** The tensor reaching furthest must end inside the data section. */
  private static void checkExtent(String source, Iterable<TensorInfo> tensors, long dataSize) {
    TensorInfo last = null;
    for (TensorInfo t : tensors) {
      if (last == null || t.end() > last.end()) {
        last = t;
      }
    }
    if (last != null && last.end() > dataSize) {
      throw new FormatException(
          source,
          "tensor '" + last.name() + "'",
          "data ends at byte "
              + last.end()
              + " of the data section, but the file holds only "
              + dataSize
              + " data bytes: the file is truncated ("
              + (last.end() - dataSize)
              + " bytes missing)");
    }
  }

  /** Tensors sorted by offset must not share bytes (empty tensors occupy none). */
  private static void checkOverlaps(String source, Iterable<TensorInfo> tensors) {
    List<TensorInfo> sorted = new ArrayList<>();
    for (TensorInfo t : tensors) {
      if (t.end() > t.begin()) {
        sorted.add(t);
      }
    }
    sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    for (int i = 1; i < sorted.size(); i++) {
      TensorInfo a = sorted.get(i - 1);
      TensorInfo b = sorted.get(i);
      if (b.begin() < a.end()) {
        throw new FormatException(
            source,
            "tensor '" + b.name() + "'",
            "bytes ["
                + b.begin()
                + ", "
                + b.end()
                + ") overlap tensor '"
                + a.name()
                + "' ["
                + a.begin()
                + ", "
                + a.end()
                + ")");
      }
    }
  }
}
