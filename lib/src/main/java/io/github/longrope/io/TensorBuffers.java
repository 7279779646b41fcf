package io.github.longrope.io;

import io.github.longrope.io.SafetensorsFile.Dtype;
import io.github.longrope.model.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;

/**
 * Copies little-endian tensor bytes (one mapped chunk) into Java arrays, widening as needed. Bulk
 * view copies where the element type matches the array, blocks of raw bits otherwise.
 */
final class TensorBuffers {
  private TensorBuffers() {}

  /** Fills {@code out} from {@code at} with the chunk's F32/F64/F16/BF16 elements as float. */
  static void copyFloats(Dtype dtype, ByteBuffer chunk, float[] out, int at) {
    switch (dtype) {
      case F32 -> chunk.asFloatBuffer().get(out, at, chunk.remaining() / 4);
      case F64 -> {
        DoubleBuffer d = chunk.asDoubleBuffer();
        for (int i = 0, n = d.remaining(); i < n; i++) {
          out[at + i] = (float) d.get(i);
        }
      }
      case F16, BF16 -> {
        // bulk-copy blocks of raw bits, then widen; a view's get(i) per element is slower
        ShortBuffer s = chunk.asShortBuffer();
        int n = s.remaining();
        short[] block = new short[Math.min(n, 1 << 14)];
        boolean bf16 = dtype == Dtype.BF16;
        for (int done = 0; done < n; done += block.length) {
          int k = Math.min(block.length, n - done);
          s.get(block, 0, k);
          for (int j = 0; j < k; j++) {
            out[at + done + j] =
                bf16 ? HalfFloats.bf16ToFloat(block[j]) : HalfFloats.f16ToFloat(block[j]);
          }
        }
      }
      default -> throw new IllegalStateException("not a float dtype: " + dtype);
    }
  }

  /** Fills {@code out} from {@code at} with the chunk's integer elements, widened exactly. */
  static void copyLongs(Dtype dtype, ByteBuffer chunk, long[] out, int at) {
    int n = chunk.remaining() / dtype.size();
    switch (dtype) {
      case I64 -> chunk.asLongBuffer().get(out, at, n);
      case I32, U32 -> {
        IntBuffer b = chunk.asIntBuffer();
        long mask = dtype == Dtype.U32 ? 0xffffffffL : -1L;
        for (int i = 0; i < n; i++) {
          out[at + i] = b.get(i) & mask;
        }
      }
      case I16, U16 -> {
        ShortBuffer b = chunk.asShortBuffer();
        long mask = dtype == Dtype.U16 ? 0xffffL : -1L;
        for (int i = 0; i < n; i++) {
          out[at + i] = b.get(i) & mask;
        }
      }
      case I8, U8, BOOL -> {
        long mask = dtype == Dtype.I8 ? -1L : 0xffL;
        for (int i = 0; i < n; i++) {
          long v = chunk.get(i) & mask;
          out[at + i] = dtype == Dtype.BOOL && v != 0 ? 1 : v;
        }
      }
      default -> throw new IllegalStateException("not an integer dtype: " + dtype);
    }
  }
}
