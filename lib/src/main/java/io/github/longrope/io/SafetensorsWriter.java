package io.github.longrope.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.SafetensorsFile.Dtype;
import io.github.longrope.model.HalfFloats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Writes fp32 tensors as a {@code .safetensors} file in F32 or F16, readable by the Python {@code
 * safetensors} package, PyTorch/transformers and {@link SafetensorsFile}.
 *
 * <p>The header is compact JSON with {@code __metadata__} first, then the tensors in the map's
 * iteration order laid out back to back; it is padded with spaces so that the data section starts
 * at a multiple of 8 bytes (as the reference implementation does, keeping every tensor aligned).
 *
 * <p>The write is atomic like {@link AtomicFiles} (temporary file in the same directory, forced,
 * renamed over the target), but streams through a small direct buffer so that a multi-GB model
 * never needs one {@code byte[]} of the file's size.
 */
public final class SafetensorsWriter {
  private static final int BUFFER_BYTES = 1 << 20;

  private SafetensorsWriter() {}

  /**
   * A tensor to write: a row-major fp32 array and its shape. The data array is not copied (models
   * are large); do not change it until the write returns.
   */
  public record Tensor(long[] shape, float[] data) {
    public Tensor {
      Objects.requireNonNull(data, "data");
      shape = shape.clone();
      long n = 1;
      for (long d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException(
              "negative dimension in shape " + Arrays.toString(shape));
        }
        n = Math.multiplyExact(n, d);
      }
      if (n != data.length) {
        throw new IllegalArgumentException(
            "shape "
                + Arrays.toString(shape)
                + " has "
                + n
                + " elements but the data has "
                + data.length);
      }
    }

    /** A tensor of shape {@code dims}. */
    public static Tensor of(float[] data, long... dims) {
      return new Tensor(dims, data);
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Tensor" + Arrays.toString(shape);
    }
  }

  /**
   * Writes {@code tensors} (in iteration order) as {@code dtype}, F32 or F16. F16 rounds to
   * nearest, ties to even; magnitudes ≥ 65520 become ±infinity.
   *
   * @param metadata the {@code __metadata__} strings, or null/empty for none
   * @throws IllegalArgumentException for another dtype or a tensor named {@code __metadata__}
   * @throws UncheckedIOException if the file cannot be written (the target is then untouched)
   */
  public static void write(
      Path file, Map<String, Tensor> tensors, Map<String, String> metadata, Dtype dtype) {
    if (dtype != Dtype.F32 && dtype != Dtype.F16) {
      throw new IllegalArgumentException("cannot write dtype " + dtype + "; use F32 or F16");
    }
    byte[] header = header(tensors, metadata, dtype);
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
      try {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
          buf.putLong(header.length);
          putAll(ch, buf, header);
          for (Tensor t : tensors.values()) {
            putData(ch, buf, t.data(), dtype);
          }
          drain(ch, buf);
          ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The header JSON, UTF-8, space-padded so that 8 + its length is a multiple of 8. */
  static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata, Dtype dtype) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode meta = root.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
      }
      long end = offset + (long) e.getValue().data().length * dtype.size();
      ObjectNode entry = root.putObject(e.getKey());
      entry.put("dtype", dtype.name());
      ArrayNode shape = entry.putArray("shape");
      for (long d : e.getValue().shape) {
        shape.add(d);
      }
      entry.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json;
    try {
      json =
          Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the safetensors header", e);
    }
    byte[] padded = Arrays.copyOf(json, (json.length + 7) / 8 * 8);
    Arrays.fill(padded, json.length, padded.length, (byte) ' ');
    return padded;
  }

  private static void putAll(FileChannel ch, ByteBuffer buf, byte[] bytes) throws IOException {
    for (int done = 0; done < bytes.length; ) {
      if (!buf.hasRemaining()) {
        drain(ch, buf);
      }
      int k = Math.min(buf.remaining(), bytes.length - done);
      buf.put(bytes, done, k);
      done += k;
    }
  }

  private static void putData(FileChannel ch, ByteBuffer buf, float[] data, Dtype dtype)
      throws IOException {
    int size = dtype.size();
    for (int done = 0; done < data.length; ) {
      if (buf.remaining() < size) {
        drain(ch, buf);
      }
      int k = Math.min(buf.remaining() / size, data.length - done);
      if (dtype == Dtype.F32) {
        // a float view of the byte buffer bulk-copies with the buffer's byte order
        buf.asFloatBuffer().put(data, done, k);
        buf.position(buf.position() + k * 4);
      } else {
        for (int i = 0; i < k; i++) {
          buf.putShort(HalfFloats.floatToF16(data[done + i]));
        }
      }
      done += k;
    }
  }

  private static void drain(FileChannel ch, ByteBuffer buf) throws IOException {
    buf.flip();
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
    buf.clear();
  }
}
