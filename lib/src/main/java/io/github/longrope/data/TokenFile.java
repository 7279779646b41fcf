package io.github.longrope.data;

import io.github.longrope.io.FormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The workbench's token data format: a pair of files sharing a prefix.
 *
 * <ul>
 *   <li>{@code PREFIX.bin}: every document's token ids concatenated, little-endian int32, no BOS.
 *   <li>{@code PREFIX.idx}: the 8-byte magic {@code LRTOKIDX}, int32 version (1), int32 document
 *       count N, then N + 1 little-endian int64 offsets (in tokens) into {@code .bin}: document i
 *       is [offset[i], offset[i+1]). The last offset equals the token count of {@code .bin}.
 * </ul>
 *
 * <p>Both are memory-mapped on open (documents are read on demand, files may exceed 2 GiB) and
 * written atomically ({@code .bin} first, then {@code .idx}, so an index never points past its
 * data).
 */
public final class TokenFile implements Documents {
  static final byte[] MAGIC = {'L', 'R', 'T', 'O', 'K', 'I', 'D', 'X'};
  static final int VERSION = 1;

  private final Path bin;
  private final long[] offsets;

  private TokenFile(Path bin, long[] offsets) {
    this.bin = bin;
    this.offsets = offsets;
  }

  /** {@code prefix.bin} for a prefix, or the path itself when it already ends in .bin or .idx. */
  static Path prefix(Path path) {
    String name = path.getFileName().toString();
    if (name.endsWith(".bin") || name.endsWith(".idx")) {
      return path.resolveSibling(name.substring(0, name.length() - 4));
    }
    return path;
  }

  /** Opens {@code PREFIX.bin}/{@code PREFIX.idx} given the prefix or either file. */
  public static TokenFile open(Path path) {
    Path p = prefix(path);
    Path idx = p.resolveSibling(p.getFileName() + ".idx");
    Path bin = p.resolveSibling(p.getFileName() + ".bin");
    for (Path f : new Path[] {idx, bin}) {
      if (!Files.isRegularFile(f)) {
        throw new FormatException(f.toString(), "", "token file not found");
      }
    }
    try (FileChannel ch = FileChannel.open(idx, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 16) {
        throw new FormatException(
            idx.toString(), "header", "file too short for the 16-byte header");
      }
      ByteBuffer head = ch.map(FileChannel.MapMode.READ_ONLY, 0, 16).order(ByteOrder.LITTLE_ENDIAN);
      byte[] magic = new byte[8];
      head.get(magic);
      if (!java.util.Arrays.equals(magic, MAGIC)) {
        throw new FormatException(
            idx.toString(), "header", "not a token index (magic LRTOKIDX missing)");
      }
      int version = head.getInt();
      if (version != VERSION) {
        throw new FormatException(idx.toString(), "header", "unsupported version " + version);
      }
      int n = head.getInt();
      if (n < 0) {
        throw new FormatException(
            idx.toString(),
            "header",
            "document count " + n + " is negative: the header is damaged");
      }
      long expected = 16 + 8L * (n + 1);
      if (size != expected) {
        throw new FormatException(
            idx.toString(),
            "header",
            n + " documents need " + expected + " bytes, file has " + size);
      }
      long[] offsets = new long[n + 1];
      ch.map(FileChannel.MapMode.READ_ONLY, 16, 8L * (n + 1))
          .order(ByteOrder.LITTLE_ENDIAN)
          .asLongBuffer()
          .get(offsets);
      long tokens = Files.size(bin) / 4;
      if (Files.size(bin) % 4 != 0) {
        throw new FormatException(
            bin.toString(), "", "size is not a multiple of 4 bytes (int32 tokens)");
      }
      for (int i = 0; i < n; i++) {
        if (offsets[i] > offsets[i + 1]) {
          throw new FormatException(idx.toString(), "document " + i, "offsets decrease");
        }
      }
      if (offsets[0] != 0 || offsets[n] != tokens) {
        throw new FormatException(
            idx.toString(),
            "offsets",
            "must run from 0 to the token count of "
                + bin.getFileName()
                + " ("
                + tokens
                + "), got "
                + offsets[0]
                + " … "
                + offsets[n]);
      }
      return new TokenFile(bin, offsets);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + idx + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int size() {
    return offsets.length - 1;
  }

  @Override
  public int length(int i) {
    return Math.toIntExact(offsets[i + 1] - offsets[i]);
  }

  @Override
  public int[] document(int i) {
    if (i < 0 || i >= size()) {
      throw new IndexOutOfBoundsException("document " + i + " of " + size());
    }
    int[] out = new int[length(i)];
    try (FileChannel ch = FileChannel.open(bin, StandardOpenOption.READ)) {
      IntBuffer ints =
          ch.map(FileChannel.MapMode.READ_ONLY, offsets[i] * 4, out.length * 4L)
              .order(ByteOrder.LITTLE_ENDIAN)
              .asIntBuffer();
      ints.get(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + bin + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** Writes documents as {@code PREFIX.bin} + {@code PREFIX.idx}, atomically. */
  public static void write(Path prefixPath, Documents docs) {
    Path p = prefix(prefixPath);
    Path bin = p.resolveSibling(p.getFileName() + ".bin");
    Path idx = p.resolveSibling(p.getFileName() + ".idx");
    try {
      Files.createDirectories(bin.toAbsolutePath().getParent());
      Path tmpBin = Files.createTempFile(bin.toAbsolutePath().getParent(), ".tok", ".tmp");
      long[] offsets = new long[docs.size() + 1];
      try (FileChannel ch = FileChannel.open(tmpBin, StandardOpenOption.WRITE)) {
        for (int i = 0; i < docs.size(); i++) {
          int[] d = docs.document(i);
          ByteBuffer buf = ByteBuffer.allocate(d.length * 4).order(ByteOrder.LITTLE_ENDIAN);
          buf.asIntBuffer().put(d);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
          offsets[i + 1] = offsets[i] + d.length;
        }
        ch.force(true);
      }
      Files.move(tmpBin, bin, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      ByteBuffer head = ByteBuffer.allocate(16 + 8 * offsets.length).order(ByteOrder.LITTLE_ENDIAN);
      head.put(MAGIC).putInt(VERSION).putInt(docs.size());
      LongBuffer lb = head.asLongBuffer();
      lb.put(offsets);
      io.github.longrope.io.AtomicFiles.write(idx, head.array());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + bin + ": " + e.getMessage(), e);
    }
  }
}
