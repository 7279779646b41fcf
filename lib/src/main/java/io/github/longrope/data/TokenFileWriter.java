package io.github.longrope.data;

import io.github.longrope.io.AtomicFiles;
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

/**
 * Writes a {@link TokenFile} document by document, for corpora too large to hold in memory. The
 * tokens stream into a temporary file beside {@code PREFIX.bin}; {@link #commit()} renames it into
 * place and then writes {@code PREFIX.idx} atomically, so readers never see a half-written pair.
 * Closing without committing deletes the temporary file and leaves any old pair untouched. The
 * bytes are identical to {@link TokenFile#write}'s.
 */
public final class TokenFileWriter implements AutoCloseable {
  private final Path bin;
  private final Path idx;
  private final Path tmp;
  private final FileChannel channel;
  private long[] offsets = new long[1024];
  private int documents;
  private boolean committed;

  public TokenFileWriter(Path prefix) {
    Path p = TokenFile.prefix(prefix);
    this.bin = p.resolveSibling(p.getFileName() + ".bin");
    this.idx = p.resolveSibling(p.getFileName() + ".idx");
    try {
      Path dir = bin.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      this.tmp = Files.createTempFile(dir, "." + bin.getFileName() + ".", ".tmp");
      this.channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + bin + ": " + e.getMessage(), e);
    }
  }

  /** Appends one document (no BOS: the format stores none). */
  public void add(int[] tokens) {
    if (committed) {
      throw new IllegalStateException("already committed");
    }
    ByteBuffer buf = ByteBuffer.allocate(tokens.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asIntBuffer().put(tokens);
    try {
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + tmp + ": " + e.getMessage(), e);
    }
    if (documents + 1 == offsets.length) {
      offsets = Arrays.copyOf(offsets, offsets.length * 2);
    }
    offsets[documents + 1] = offsets[documents] + tokens.length;
    documents++;
  }

  public int documents() {
    return documents;
  }

  public long tokens() {
    return offsets[documents];
  }

  /** Moves {@code .bin} into place, then writes {@code .idx}. */
  public void commit() {
    try {
      channel.force(true);
      channel.close();
      Files.move(tmp, bin, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + bin + ": " + e.getMessage(), e);
    }
    ByteBuffer head = ByteBuffer.allocate(16 + 8 * (documents + 1)).order(ByteOrder.LITTLE_ENDIAN);
    head.put(TokenFile.MAGIC).putInt(TokenFile.VERSION).putInt(documents);
    head.asLongBuffer().put(offsets, 0, documents + 1);
    AtomicFiles.write(idx, head.array());
    committed = true;
  }

  @Override
  public void close() {
    if (!committed) {
      try {
        channel.close();
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + tmp + ": " + e.getMessage(), e);
      }
    }
  }
}
