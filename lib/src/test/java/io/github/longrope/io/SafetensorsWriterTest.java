package io.github.longrope.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.SafetensorsFile.Dtype;
import io.github.longrope.io.SafetensorsWriter.Tensor;
import io.github.longrope.model.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
  @TempDir Path dir;

  static final float[] SPECIAL = {
    0f,
    -0f,
    1f,
    -2.5f,
    1 + 0x1p-11f,
    1 + 3 * 0x1p-11f,
    65504f,
    65519f,
    65520f,
    1e10f,
    0x1p-24f,
    0x1p-25f,
    3 * 0x1p-25f,
    1e-30f,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    Float.NaN,
    Float.MIN_VALUE,
    Float.MAX_VALUE,
    0.1f
  };

  static Map<String, Tensor> sample() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("special", Tensor.of(SPECIAL, 4, 5));
    float[] random = new float[1000];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < random.length; i++) {
      random[i] = (float) r.nextGaussian();
    }
    tensors.put("model.layers.0.weight", Tensor.of(random, 10, 100));
    tensors.put("scalar", Tensor.of(new float[] {42}));
    tensors.put("empty", Tensor.of(new float[0], 0, 7));
    return tensors;
  }

  @Test
  void f32RoundTripsBitExactWithMetadataAndOrder() throws Exception {
    Path f = dir.resolve("m.safetensors");
    Map<String, Tensor> tensors = sample();
    SafetensorsWriter.write(f, tensors, Map.of("format", "pt"), Dtype.F32);
    try (SafetensorsFile file = SafetensorsFile.open(f)) {
      assertEquals(List.copyOf(tensors.keySet()), file.names());
      assertEquals(Map.of("format", "pt"), file.metadata());
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        assertArrayEquals(e.getValue().shape(), file.info(e.getKey()).shape());
        assertEquals(Dtype.F32, file.info(e.getKey()).dtype());
        assertEquals(e.getValue(), new Tensor(e.getValue().shape(), file.floats(e.getKey())));
      }
    }
    // layout: compact JSON, __metadata__ first, data section aligned to 8
    byte[] bytes = Files.readAllBytes(f);
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8);
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"special\":{"), header);
    assertFalse(header.contains("\n"), "compact header");
    assertEquals(8 + n + 4 * (20 + 1000 + 1), bytes.length);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary files left behind");
    }
  }

  @Test
  void f16RoundsToNearestEven() {
    Path f = dir.resolve("h.safetensors");
    Map<String, Tensor> tensors = sample();
    SafetensorsWriter.write(f, tensors, null, Dtype.F16);
    try (SafetensorsFile file = SafetensorsFile.open(f)) {
      assertTrue(file.metadata().isEmpty());
      float[] special = file.floats("special");
      float[] expected = {
        0f,
        -0f,
        1f,
        -2.5f,
        1f,
        1 + 0x1p-9f,
        65504f,
        65504f,
        Float.POSITIVE_INFINITY,
        Float.POSITIVE_INFINITY,
        0x1p-24f,
        0f,
        0x1p-23f,
        0f,
        Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY,
        Float.NaN,
        0f,
        Float.POSITIVE_INFINITY,
        0.099975586f
      };
      assertArrayEquals(expected, special);
      float[] original = tensors.get("model.layers.0.weight").data();
      float[] half = file.floats("model.layers.0.weight");
      for (int i = 0; i < original.length; i++) {
        // fp16 keeps 11 significant bits: relative error ≤ 2^-11 in the normal range
        assertEquals(original[i], half[i], Math.max(Math.abs(original[i]) * 0x1p-11f, 0x1p-25f));
        assertEquals(half[i], HalfFloats.f16ToFloat(HalfFloats.floatToF16(half[i])), "stable");
      }
      assertArrayEquals(new float[] {42}, file.floats("scalar"));
      assertEquals(Dtype.F16, file.info("scalar").dtype());
    }
  }

  @Test
  void pythonReadsOurFilesAndAgreesOnF16Rounding() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    Assumptions.assumeTrue(Files.isExecutable(python), "python3 not installed");
    float[] values = new float[400];
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < values.length; i++) {
      // within fp16's finite range (Python's 'e' packing raises on overflow)
      values[i] = (float) ((r.nextBoolean() ? 1 : -1) * Math.pow(2, r.nextDouble(-26, 15.9)));
    }
    System.arraycopy(
        new float[] {1 + 0x1p-11f, 1 + 3 * 0x1p-11f, 0x1p-25f, 3 * 0x1p-25f}, 0, values, 0, 4);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("x", Tensor.of(values, 20, 20));
    SafetensorsWriter.write(dir.resolve("f32.safetensors"), tensors, Map.of("k", "v"), Dtype.F32);
    SafetensorsWriter.write(dir.resolve("f16.safetensors"), tensors, Map.of(), Dtype.F16);
    String script =
        String.join(
            "\n",
            "import json, struct, sys",
            "def load(path):",
            "    b = open(path, 'rb').read()",
            "    n = struct.unpack('<Q', b[:8])[0]",
            "    h = json.loads(b[8:8 + n].decode('utf-8'))",
            "    x = h['x']",
            "    s, e = x['data_offsets']",
            "    fmt = {'F32': 'f', 'F16': 'e'}[x['dtype']]",
            "    raw = b[8 + n + s:8 + n + e]",
            "    assert len(b) == 8 + n + e and n % 8 == 0",
            "    return h, list(struct.unpack('<%d%s' % (len(raw) // struct.calcsize(fmt), fmt),"
                + " raw)), raw",
            "h32, f32, _ = load(sys.argv[1])",
            "h16, _, raw16 = load(sys.argv[2])",
            "mine = struct.unpack('<%dH' % (len(raw16) // 2), raw16)",
            "ref = [struct.unpack('<H', struct.pack('<e', v))[0] for v in f32]",
            "print(json.dumps({'meta': h32.get('__metadata__'), 'shape': h16['x']['shape'],"
                + " 'f32': f32, 'mismatches': sum(a != b for a, b in zip(mine, ref))}))");
    Process p =
        new ProcessBuilder(
                python.toString(),
                "-c",
                script,
                dir.resolve("f32.safetensors").toString(),
                dir.resolve("f16.safetensors").toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python timed out");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    JsonNode result = Json.parseObject(out, "python output");
    assertEquals("v", result.get("meta").get("k").asText());
    assertEquals("[20,20]", result.get("shape").toString());
    assertEquals(0, result.get("mismatches").asInt(), "fp16 bits differ from Python's struct 'e'");
    for (int i = 0; i < values.length; i++) {
      assertEquals(values[i], (float) result.get("f32").get(i).asDouble());
    }
  }

  @Test
  void rejectsBadInputWithoutTouchingTheTarget() throws Exception {
    Path f = dir.resolve("keep.safetensors");
    Files.writeString(f, "old");
    Map<String, Tensor> one = Map.of("a", Tensor.of(new float[] {1}, 1));
    assertThrows(
        IllegalArgumentException.class, () -> SafetensorsWriter.write(f, one, null, Dtype.BF16));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SafetensorsWriter.write(
                f, Map.of("__metadata__", Tensor.of(new float[] {1}, 1)), null, Dtype.F32));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3));
    assertTrue(e.getMessage().contains("[2, 3] has 6 elements but the data has 5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0], 2, -1));
    assertEquals("old", Files.readString(f));
    SafetensorsWriter.write(f, one, null, Dtype.F32);
    try (SafetensorsFile file = SafetensorsFile.open(f)) {
      assertArrayEquals(new float[] {1}, file.floats("a"), "an existing file is replaced");
    }
  }
}
