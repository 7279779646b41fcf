package io.github.longrope.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a run read, by content rather than by path: a run record stores the fingerprint of its model
 * and data, so that a resume in another clone, another folder or through a link is accepted, and a
 * resume on changed weights or data is refused — whatever the paths are called.
 *
 * <p>A fingerprint is {@code "sha256:HEX"} over, for each file in order, its name (not its folder),
 * its size, and its content. Files up to {@link #FULL_LIMIT} bytes are hashed whole; a larger file
 * (a 7B model's weight shards) contributes {@link #SAMPLES} evenly spaced blocks of {@link #BLOCK}
 * bytes, first and last included, so that fingerprinting 15 GB costs milliseconds instead of a
 * minute. A sampled hash notices another checkpoint, a re-export, a truncated or re-quantised file;
 * it can miss an edit confined to the bytes between two blocks of one huge file. The safetensors
 * header (tensor names, dtypes, shapes, offsets) is always inside the first block.
 */
public final class Fingerprint {
  private Fingerprint() {}

  /** Files up to this size are hashed whole. */
  public static final long FULL_LIMIT = 64L << 20;

  /** Bytes per sampled block of a larger file. */
  public static final int BLOCK = 1 << 20;

  /** Blocks sampled from a larger file. */
  public static final int SAMPLES = 16;

  /** The files of a model directory that decide what it computes. */
  private static final List<String> MODEL_FILES =
      List.of("config.json", "tokenizer.json", "tokenizer.model", "tokenizer_config.json");

  /**
   * The fingerprint of an HF model directory: {@code config.json}, the tokenizer files present, and
   * every {@code *.safetensors} file, by name.
   */
  public static String model(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + ": not a model directory");
    }
    List<Path> files = new ArrayList<>();
    for (String name : MODEL_FILES) {
      Path f = dir.resolve(name);
      if (Files.isRegularFile(f)) {
        files.add(f);
      }
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().endsWith(".safetensors"))
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e, e);
    }
    return files(files);
  }

  /** The fingerprint of files in the given order. */
  public static String files(List<Path> files) {
    MessageDigest md = sha256();
    byte[] buffer = new byte[BLOCK];
    for (Path f : files) {
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
        long size = ch.size();
        md.update((f.getFileName() + "\n" + size + "\n").getBytes(StandardCharsets.UTF_8));
        if (size <= FULL_LIMIT) {
          digestRange(ch, 0, size, md, buffer);
        } else {
          for (int i = 0; i < SAMPLES; i++) {
            long at = (size - BLOCK) * i / (SAMPLES - 1);
            digestRange(ch, at, BLOCK, md, buffer);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f + " for its fingerprint: " + e, e);
      }
    }
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  private static void digestRange(
      FileChannel ch, long from, long length, MessageDigest md, byte[] buffer) throws IOException {
    long pos = from;
    long end = from + length;
    while (pos < end) {
      ByteBuffer b = ByteBuffer.wrap(buffer, 0, (int) Math.min(buffer.length, end - pos));
      int n = ch.read(b, pos);
      if (n < 0) {
        throw new IOException("file shrank while it was read");
      }
      md.update(buffer, 0, n);
      pos += n;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
