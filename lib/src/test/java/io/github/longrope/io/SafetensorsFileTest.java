package io.github.longrope.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.longrope.io.SafetensorsFile.Dtype;
import io.github.longrope.io.SafetensorsFile.TensorInfo;
import io.github.longrope.model.HalfFloats;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files are built byte by byte here (not with {@link SafetensorsWriter}) or by Python. */
class SafetensorsFileTest {
  @TempDir Path dir;

  /** length (LE u64) + header + data: the format, written independently of the writer. */
  static byte[] bytes(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + h.length + data.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(h.length)
        .put(h)
        .put(data)
        .array();
  }

  Path file(String name, String header, byte[] data) throws IOException {
    return Files.write(dir.resolve(name), bytes(header, data));
  }

  static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void readsAHandBuiltFileOfEveryCommonDtype() throws IOException {
    ByteBuffer data = le(16 + 12 + 8 + 32 + 8 + 3 + 2);
    data.putFloat(1.5f).putFloat(-2.25f).putFloat(Float.MIN_VALUE).putFloat(Float.NaN); // F32 0-16
    for (int bits : new int[] {0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x8000}) { // F16 16-28
      data.putShort((short) bits);
    }
    for (int bits : new int[] {0x3f80, 0xc040, 0x7f80, 0x4049}) { // BF16 28-36
      data.putShort((short) bits);
    }
    data.putLong(Long.MIN_VALUE).putLong(-1).putLong(1L << 40).putLong(Long.MAX_VALUE); // 36-68
    data.putInt(-7).putInt(Integer.MAX_VALUE); // I32 68-76
    data.put((byte) 0).put((byte) 200).put((byte) 255); // U8 76-79
    data.put((byte) 1).put((byte) 0); // BOOL 79-81
    String header =
        "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"ünï\"},"
            + "\"f32\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
            + "\"f16\":{\"dtype\":\"F16\",\"shape\":[6],\"data_offsets\":[16,28]},"
            + "\"bf16\":{\"dtype\":\"BF16\",\"shape\":[1,4],\"data_offsets\":[28,36]},"
            + "\"ids\":{\"dtype\":\"I64\",\"shape\":[4],\"data_offsets\":[36,68]},"
            + "\"i32\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[68,76]},"
            + "\"u8\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[76,79]},"
            + "\"mask\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[79,81]},"
            + "\"scalar_empty\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[81,81]}}   ";
    try (SafetensorsFile f = SafetensorsFile.open(file("all.safetensors", header, data.array()))) {
      assertEquals(
          List.of("f32", "f16", "bf16", "ids", "i32", "u8", "mask", "scalar_empty"), f.names());
      assertEquals(Map.of("format", "pt", "note", "ünï"), f.metadata());
      assertArrayEquals(new float[] {1.5f, -2.25f, Float.MIN_VALUE, Float.NaN}, f.floats("f32"));
      assertArrayEquals(
          new float[] {1, -2, 65504, 0x1p-24f, Float.POSITIVE_INFINITY, -0f}, f.floats("f16"));
      assertArrayEquals(new float[] {1, -3, Float.POSITIVE_INFINITY, 3.140625f}, f.floats("bf16"));
      assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 1L << 40, Long.MAX_VALUE}, f.longs("ids"));
      assertArrayEquals(new long[] {-7, Integer.MAX_VALUE}, f.longs("i32"));
      assertArrayEquals(new long[] {0, 200, 255}, f.longs("u8"));
      assertArrayEquals(new long[] {1, 0}, f.longs("mask"));
      assertEquals(0, f.floats("scalar_empty").length);
      TensorInfo info = f.info("bf16");
      assertEquals(new TensorInfo("bf16", Dtype.BF16, new long[] {1, 4}, 28, 36), info);
      assertEquals(4, info.elements());
      assertTrue(f.contains("ids"));
      assertFalse(f.contains("missing"));
      FormatException e = assertThrows(FormatException.class, () -> f.floats("ids"));
      assertTrue(e.getMessage().contains("dtype I64 cannot be read as float"), e.getMessage());
      e = assertThrows(FormatException.class, () -> f.longs("f16"));
      assertTrue(e.getMessage().contains("'f16'"), e.getMessage());
      e = assertThrows(FormatException.class, () -> f.info("bf61"));
      assertTrue(e.getMessage().contains("all.safetensors"), e.getMessage());
      assertTrue(e.getMessage().contains("tensor 'bf61'"), e.getMessage());
      assertTrue(e.getMessage().contains("similar: bf16"), e.getMessage());
    }
  }

  @Test
  void chunkedMappingReassemblesTensors() throws IOException {
    ByteBuffer data = le(4 * 10 + 2 * 10 + 8 * 10);
    for (int i = 0; i < 10; i++) {
      data.putFloat(i + 0.5f);
    }
    for (int i = 0; i < 10; i++) {
      data.putShort(HalfFloats.floatToF16(i * 2));
    }
    for (int i = 0; i < 10; i++) {
      data.putLong(i * 1000L);
    }
    String header =
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[10],\"data_offsets\":[0,40]},"
            + "\"b\":{\"dtype\":\"F16\",\"shape\":[10],\"data_offsets\":[40,60]},"
            + "\"c\":{\"dtype\":\"I64\",\"shape\":[10],\"data_offsets\":[60,140]}}";
    try (SafetensorsFile f = SafetensorsFile.open(file("c.safetensors", header, data.array()))) {
      for (long chunk : new long[] {1, 12, 13, 1 << 30}) {
        float[] a = f.floats("a", chunk);
        float[] b = f.floats("b", chunk);
        long[] c = f.longs("c", chunk);
        for (int i = 0; i < 10; i++) {
          assertEquals(i + 0.5f, a[i]);
          assertEquals(i * 2f, b[i]);
          assertEquals(i * 1000L, c[i]);
        }
      }
    }
  }

  @Test
  void readsAFileWrittenByPythonsStandardLibrary() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    Assumptions.assumeTrue(Files.isExecutable(python), "python3 not installed");
    String script =
        String.join(
            "\n",
            "import json, struct, sys",
            "header, data = {'__metadata__': {'format': 'pt', 'source': 'python'}}, b''",
            "def add(name, dtype, shape, raw):",
            "    global data",
            "    header[name] = {'dtype': dtype, 'shape': shape,"
                + " 'data_offsets': [len(data), len(data) + len(raw)]}",
            "    data += raw",
            "add('w', 'F32', [2, 3], struct.pack('<6f', 1.5, -2.25, 3e-8, 65504, 1e30, -0.0))",
            "add('h', 'F16', [4], struct.pack('<4e', 1.0, 0.333333, 6e-8, float('inf')))",
            "add('b', 'BF16', [3], b''.join(struct.pack('<f', v)[2:] for v in (1.0, -3.0, 0.15625)))",
            "add('ids', 'I64', [3], struct.pack('<3q', 0, -5, 2**62))",
            "h = json.dumps(header).encode('utf-8')",
            "h += b' ' * (-len(h) % 8)",
            "open(sys.argv[1], 'wb').write(struct.pack('<Q', len(h)) + h + data)");
    Path out = dir.resolve("py.safetensors");
    Process p =
        new ProcessBuilder(python.toString(), "-c", script, out.toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python timed out");
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), log);
    try (SafetensorsFile f = SafetensorsFile.open(out)) {
      assertEquals(List.of("w", "h", "b", "ids"), f.names());
      assertEquals("python", f.metadata().get("source"));
      assertArrayEquals(new long[] {2, 3}, f.info("w").shape());
      assertArrayEquals(new float[] {1.5f, -2.25f, 3e-8f, 65504, 1e30f, -0f}, f.floats("w"));
      float[] h = f.floats("h");
      assertEquals(1.0f, h[0]);
      assertEquals(0.333333f, h[1], 1e-4);
      assertEquals(0x1p-24f, h[2], "6e-8 rounds to the smallest subnormal");
      assertEquals(Float.POSITIVE_INFINITY, h[3]);
      assertArrayEquals(new float[] {1, -3, 0.15625f}, f.floats("b"));
      assertArrayEquals(new long[] {0, -5, 1L << 62}, f.longs("ids"));
    }
  }

  /** Opening a file with {@code header} and {@code dataBytes} zero bytes must fail naming all. */
  void assertRejected(String header, int dataBytes, String... fragments) throws IOException {
    Path f = file("bad.safetensors", header, new byte[dataBytes]);
    FormatException e = assertThrows(FormatException.class, () -> SafetensorsFile.open(f));
    assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' in: " + e.getMessage());
    }
  }

  static String entry(String name, String dtype, String shape, String offsets) {
    return "\""
        + name
        + "\":{\"dtype\":"
        + dtype
        + ",\"shape\":"
        + shape
        + ",\"data_offsets\":"
        + offsets
        + "}";
  }

  @Test
  void everyHeaderProblemNamesTheFileTheTensorAndTheProblem() throws IOException {
    assertRejected(
        "{" + entry("a", "\"F32\"", "[2]", "[0,8]") + "}",
        4,
        "tensor 'a'",
        "truncated",
        "4 bytes missing");
    assertRejected("{\"a\": ", 0, "header", "malformed JSON");
    assertRejected("[1, 2]", 0, "header", "must be a JSON object");
    assertRejected("{\"a\": 1}", 0, "tensor 'a'", "must be an object");
    assertRejected("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "tensor 'a'", "'dtype'");
    assertRejected("{" + entry("a", "7", "[2]", "[0,8]") + "}", 8, "tensor 'a'", "'dtype'");
    assertRejected(
        "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8, "tensor 'a'", "'shape'");
    assertRejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "tensor 'a'", "'data_offsets'");
    assertRejected("{" + entry("a", "\"F32\"", "\"2\"", "[0,8]") + "}", 8, "'shape'");
    assertRejected("{" + entry("a", "\"F32\"", "[2]", "[0,8.5]") + "}", 8, "'data_offsets'");
    assertRejected(
        "{" + entry("a", "\"F17\"", "[2]", "[0,8]") + "}",
        8,
        "tensor 'a'",
        "unknown dtype 'F17'",
        "BF16");
    assertRejected(
        "{" + entry("q", "\"F8_E4M3\"", "[2]", "[0,2]") + "}",
        2,
        "tensor 'q'",
        "F8_E4M3 is not supported");
    assertRejected("{" + entry("a", "\"F32\"", "[-2]", "[0,8]") + "}", 8, "tensor 'a'", "negative");
    assertRejected(
        "{" + entry("a", "\"F32\"", "[0]", "[8,0]") + "}", 8, "tensor 'a'", "begin ≤ end");
    assertRejected(
        "{" + entry("a", "\"F32\"", "[0]", "[0]") + "}", 8, "tensor 'a'", "[begin, end]");
    assertRejected(
        "{" + entry("a", "\"F32\"", "[3]", "[0,8]") + "}", 8, "tensor 'a'", "span 8", "needs 12");
    assertRejected(
        "{" + entry("a", "\"F32\"", "[4294967296,4294967296]", "[0,8]") + "}", 8, "too large");
    assertRejected(
        "{"
            + entry("a", "\"F32\"", "[2]", "[0,8]")
            + ","
            + entry("b", "\"F32\"", "[2]", "[4,12]")
            + "}",
        12,
        "tensor 'b'",
        "overlap tensor 'a'");
    assertRejected("{\"__metadata__\":{\"n\":1}}", 0, "header", "__metadata__ value 'n'");
    assertRejected(
        "{"
            + entry("a", "\"F32\"", "[0]", "[0,0]")
            + ","
            + entry("a", "\"F32\"", "[0]", "[0,0]")
            + "}",
        0,
        "Duplicate");
  }

  @Test
  void shortOrForeignFilesAreRejectedBeforeParsing() throws IOException {
    Path tiny = Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
    FormatException e = assertThrows(FormatException.class, () -> SafetensorsFile.open(tiny));
    assertTrue(
        e.getMessage().contains("tiny.safetensors: header: file is 3 bytes"), e.getMessage());
    // a zip (pytorch_model.bin) starts with "PK\3\4": an absurd header length
    Path zip =
        Files.write(
            dir.resolve("model.bin"), "PK\3\4 not safetensors".getBytes(StandardCharsets.US_ASCII));
    e = assertThrows(FormatException.class, () -> SafetensorsFile.open(zip));
    assertTrue(e.getMessage().contains("model.bin: header: declares a"), e.getMessage());
    Path lying = Files.write(dir.resolve("lying.safetensors"), le(12).putLong(1000).array());
    e = assertThrows(FormatException.class, () -> SafetensorsFile.open(lying));
    assertTrue(e.getMessage().contains("1000-byte header but only 4 bytes"), e.getMessage());
    e = assertThrows(FormatException.class, () -> SafetensorsFile.open(dir.resolve("none")));
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
  }

  /**
   * Offsets past 2 GiB and 4 GiB, in a sparse file (no real disk use): a single mapping or an int
   * offset would fail here. Also a tensor with more elements than a Java array holds.
   */
  @Test
  void readsTensorsBeyondTwoAndFourGibibytes() throws IOException {
    long big = (1L << 31) + 64; // U8 bytes, so "tail" starts past 2^31
    long huge = 1L << 31; // F16 elements: 2^32 bytes and more elements than an array holds
    long tailAt = big + 2 * huge;
    String header =
        "{"
            + entry("big", "\"U8\"", "[" + big + "]", "[0," + big + "]")
            + ","
            + entry("huge", "\"F16\"", "[" + huge + "]", "[" + big + "," + tailAt + "]")
            + ","
            + entry("tail", "\"F32\"", "[4,4]", "[" + tailAt + "," + (tailAt + 64) + "]")
            + "}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    Path path = dir.resolve("sparse.safetensors");
    try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
      raf.setLength(8 + h.length + tailAt + 64);
    } catch (IOException e) {
      Assumptions.abort("filesystem cannot hold a 6 GiB sparse file: " + e.getMessage());
    }
    ByteBuffer tail = le(64);
    for (int i = 0; i < 16; i++) {
      tail.putFloat(i - 7.25f);
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
      ch.write(le(8 + h.length).putLong(h.length).put(h).flip(), 0);
      ch.write(tail.flip(), 8 + h.length + tailAt);
    }
    try (SafetensorsFile f = SafetensorsFile.open(path)) {
      float[] values = f.floats("tail");
      for (int i = 0; i < 16; i++) {
        assertEquals(i - 7.25f, values[i]);
      }
      assertEquals(huge, f.info("huge").elements());
      FormatException e = assertThrows(FormatException.class, () -> f.floats("huge"));
      assertTrue(e.getMessage().contains("tensor 'huge'"), e.getMessage());
      assertTrue(e.getMessage().contains("more than a Java array can hold"), e.getMessage());
    }
  }

  @Test
  void closedFilesRefuseReads() throws IOException {
    Path p = file("c.safetensors", "{" + entry("a", "\"F32\"", "[1]", "[0,4]") + "}", new byte[4]);
    SafetensorsFile f = SafetensorsFile.open(p);
    f.close();
    assertThrows(IllegalStateException.class, () -> f.floats("a"));
    assertEquals(List.of("a"), f.names(), "the header stays readable");
  }
}
