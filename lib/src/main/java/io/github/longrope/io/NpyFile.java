package io.github.longrope.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A float32 matrix as a NumPy {@code .npy} file (format version 1.0), so that {@code
 * numpy.load(FILE)} reads what the workbench computed without any converter: magic, a header padded
 * to a multiple of 64 bytes, then little-endian float32 values in row-major order. Written
 * atomically.
 */
public final class NpyFile {
  private NpyFile() {}

  /** Writes {@code values} ({@code rows × cols}, row-major) to {@code file}. */
  public static void writeFloat32(Path file, float[] values, int rows, int cols) {
    if ((long) rows * cols != values.length) {
      throw new IllegalArgumentException(
          "npy: " + values.length + " values are not " + rows + " × " + cols);
    }
    String dict =
        String.format(
            Locale.ROOT,
            "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }",
            rows,
            cols);
    int prefix = 10; // magic (6) + version (2) + header length (2)
    int padded = ((prefix + dict.length() + 1 + 63) / 64) * 64;
    String header = dict + " ".repeat(padded - prefix - dict.length() - 1) + "\n";
    ByteBuffer b = ByteBuffer.allocate(padded + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII));
    b.put((byte) 1).put((byte) 0).putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    b.asFloatBuffer().put(values);
    AtomicFiles.write(file, b.array());
  }
}
