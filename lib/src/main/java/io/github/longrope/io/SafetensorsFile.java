package io.github.longrope.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A memory-mapped reader for one {@code .safetensors} file.
 *
 * <p>Why our own reader: DJL's decoder reads the whole data section into one {@code byte[]} with
 * {@code int} offsets (files ≥ 2 GiB fail) and crashes the JVM on bf16 tensors. Here only the
 * header is read at {@link #open}; each tensor is mapped on demand, <em>per tensor</em> (a single
 * {@code MappedByteBuffer} cannot exceed 2 GiB, so mapping the whole file would fail on real
 * checkpoints), and bf16/fp16 are widened to fp32 in Java so that DJL only ever receives fp32.
 *
 * <p>{@link #open} validates the whole header against the file size, so a truncated download or a
 * corrupt header fails at once with a message naming the file, the tensor and the problem, rather
 * than at the first read of the missing tensor. Reads are thread-safe; {@link #close} closes the
 * channel (arrays already returned stay valid).
 */
public final class SafetensorsFile implements AutoCloseable {
  /** Largest element count a Java array reliably holds (some VMs reserve a few header words). */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  /** Bytes mapped at a time; a multiple of every element size, below the 2 GiB mapping limit. */
  static final long MAP_CHUNK = 1L << 30;

  /** Element types of the safetensors format that this reader understands, with byte sizes. */
  public enum Dtype {
    F64(8),
    F32(4),
    F16(2),
    BF16(2),
    I64(8),
    I32(4),
    I16(2),
    I8(1),
    U64(8),
    U32(4),
    U16(2),
    U8(1),
    BOOL(1);

    private final int size;

    Dtype(int size) {
      this.size = size;
    }

    /** Bytes per element. */
    public int size() {
      return size;
    }

    boolean isFloat() {
      return this == F64 || this == F32 || this == F16 || this == BF16;
    }
  }

  /**
   * One header entry. {@code begin} and {@code end} are byte offsets relative to the start of the
   * data section (the byte after the header), as in the file.
   */
  public record TensorInfo(String name, Dtype dtype, long[] shape, long begin, long end) {
    public TensorInfo {
      shape = shape.clone();
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    /** Product of the shape (1 for a scalar). */
    public long elements() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TensorInfo t
          && name.equals(t.name)
          && dtype == t.dtype
          && Arrays.equals(shape, t.shape)
          && begin == t.begin
          && end == t.end;
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
      return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
  }

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;

  private SafetensorsFile(
      Path path,
      FileChannel channel,
      long dataStart,
      Map<String, TensorInfo> tensors,
      Map<String, String> metadata) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /** Opens a file and validates its header; reads nothing but the header. */
  public static SafetensorsFile open(Path file) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new FormatException(file.toString(), "", "file not found");
    } catch (IOException e) {
      throw new FormatException(file.toString(), "", "cannot open: " + e.getMessage(), e);
    }
    try {
      SafetensorsHeader header = SafetensorsHeader.read(file.toString(), channel);
      return new SafetensorsFile(
          file, channel, header.dataStart(), header.tensors(), header.metadata());
    } catch (RuntimeException e) {
      closeQuietly(channel, e);
      throw e;
    }
  }

  private static void closeQuietly(FileChannel channel, RuntimeException pending) {
    try {
      channel.close();
    } catch (IOException suppressed) {
      pending.addSuppressed(suppressed);
    }
  }

  public Path path() {
    return path;
  }

  /** Tensor names in header order. */
  public List<String> names() {
    return List.copyOf(tensors.keySet());
  }

  /** The {@code __metadata__} object (empty when absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /** The header entry of a tensor; a {@link FormatException} suggesting similar names if absent. */
  public TensorInfo info(String name) {
    TensorInfo info = tensors.get(name);
    if (info == null) {
      throw new FormatException(
          path.toString(),
          "tensor '" + name + "'",
          "not in this file ("
              + tensors.size()
              + " tensors"
              + similar(name, tensors.keySet())
              + ")");
    }
    return info;
  }

  /** A tensor as fp32: F32 as stored, F16 and BF16 widened exactly, F64 narrowed. */
  public float[] floats(String name) {
    return floats(name, MAP_CHUNK);
  }

  float[] floats(String name, long chunkBytes) {
    TensorInfo t = info(name);
    if (!t.dtype().isFloat()) {
      throw new FormatException(
          path.toString(),
          "tensor '" + name + "'",
          "dtype " + t.dtype() + " cannot be read as float (use longs() for integer tensors)");
    }
    float[] out = new float[arrayLength(t)];
    forEachChunk(t, chunkBytes, (buf, at) -> TensorBuffers.copyFloats(t.dtype(), buf, out, at));
    return out;
  }

  /**
   * An integer tensor widened exactly to {@code long} (I64, I32, I16, I8, U32, U16, U8; BOOL as 0
   * or 1), for token ids and the like. U64 is refused because it may not fit.
   */
  public long[] longs(String name) {
    return longs(name, MAP_CHUNK);
  }

  long[] longs(String name, long chunkBytes) {
    TensorInfo t = info(name);
    if (t.dtype().isFloat() || t.dtype() == Dtype.U64) {
      throw new FormatException(
          path.toString(),
          "tensor '" + name + "'",
          "dtype "
              + t.dtype()
              + " cannot be read as long (only signed integers, U32/U16/U8, BOOL)");
    }
    long[] out = new long[arrayLength(t)];
    forEachChunk(t, chunkBytes, (buf, at) -> TensorBuffers.copyLongs(t.dtype(), buf, out, at));
    return out;
  }

  private int arrayLength(TensorInfo t) {
    long n = t.elements();
    if (n > MAX_ARRAY) {
      throw new FormatException(
          path.toString(),
          "tensor '" + t.name() + "'",
          "has "
              + n
              + " elements, more than a Java array can hold ("
              + MAX_ARRAY
              + "); it cannot be read as one array");
    }
    return (int) n;
  }

  /** Receives one mapped little-endian chunk and the index of its first element. */
  private interface ChunkConsumer {
    void accept(ByteBuffer chunk, int firstElement);
  }

  /**
   * Maps the tensor's bytes in chunks of at most {@code chunkBytes} (rounded down to whole
   * elements) and hands each to {@code consumer}. The mappings are released by the GC.
   */
  private void forEachChunk(TensorInfo t, long chunkBytes, ChunkConsumer consumer) {
    int size = t.dtype().size();
    long step = Math.max(size, chunkBytes / size * size);
    long total = t.end() - t.begin();
    try {
      for (long done = 0; done < total; done += step) {
        long length = Math.min(step, total - done);
        ByteBuffer chunk =
            channel
                .map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin() + done, length)
                .order(ByteOrder.LITTLE_ENDIAN);
        consumer.accept(chunk, (int) (done / size));
      }
    } catch (ClosedChannelException e) {
      throw new IllegalStateException(path + " is closed", e);
    } catch (IOException e) {
      throw new FormatException(
          path.toString(), "tensor '" + t.name() + "'", "cannot read: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "SafetensorsFile[" + path + ", " + tensors.size() + " tensors]";
  }

  /** "; similar: a, b, c" with the names nearest to {@code name} by edit distance, or "". */
  static String similar(String name, Collection<String> names) {
    String lower = name.toLowerCase(Locale.ROOT);
    List<String> nearest =
        names.stream()
            .sorted(
                Comparator.comparingInt((String n) -> distance(lower, n.toLowerCase(Locale.ROOT)))
                    .thenComparing(Comparator.naturalOrder()))
            .limit(3)
            .collect(Collectors.toList());
    return nearest.isEmpty() ? "" : "; similar: " + String.join(", ", nearest);
  }

  /** Levenshtein distance (names are short; a few hundred names per checkpoint). */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
