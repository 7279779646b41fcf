package io.github.longrope.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;

/** Tiny synthetic package files (R lazy-load database, SWORD zText) and the bundled tokenizer. */
final class Fixtures {
  private Fixtures() {}

  /** The committed 32k tokenizer (tests run in lib/). */
  static final Path TOKENIZER = Path.of("../datasets/tokenizer/tokenizer.json");

  /** zlib (with header and checksum), as R and SWORD write it. */
  static byte[] zlib(byte[] data) {
    Deflater d = new Deflater(9);
    d.setInput(data);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  /** R XDR serialisation of a character vector; null elements are NA; LATIN1 flagged by "L:". */
  static byte[] xdrStrings(int version, String... elements) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(bytes);
      d.write('X');
      d.write('\n');
      d.writeInt(version);
      d.writeInt(0x040201); // R 4.2.1
      d.writeInt(0x030500); // readable by R 3.5.0
      if (version == 3) {
        byte[] enc = "UTF-8".getBytes(StandardCharsets.US_ASCII);
        d.writeInt(enc.length);
        d.write(enc);
      }
      d.writeInt(AustenRdb.STRSXP);
      d.writeInt(elements.length);
      for (String e : elements) {
        if (e == null) {
          d.writeInt(AustenRdb.CHARSXP);
          d.writeInt(-1);
        } else if (e.startsWith("L:")) {
          byte[] b = e.substring(2).getBytes(StandardCharsets.ISO_8859_1);
          d.writeInt(AustenRdb.CHARSXP | (4 << 12)); // LATIN1_MASK in the levels
          d.writeInt(b.length);
          d.write(b);
        } else {
          byte[] b = e.getBytes(StandardCharsets.UTF_8);
          d.writeInt(AustenRdb.CHARSXP | (8 << 12)); // UTF8_MASK
          d.writeInt(b.length);
          d.write(b);
        }
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One .rdb record: 4-byte big-endian uncompressed length, then the zlib stream. */
  static byte[] rdbRecord(byte[] xdr) {
    byte[] z = zlib(xdr);
    return ByteBuffer.allocate(4 + z.length).putInt(xdr.length).put(z).array();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A zText testament: {@code .bzs} index and {@code .bzz} data, one block per string. */
  static void writeZText(Path dir, String testament, String... blocks) throws IOException {
    ByteArrayOutputStream bzz = new ByteArrayOutputStream();
    ByteBuffer bzs = ByteBuffer.allocate(12 * blocks.length).order(ByteOrder.LITTLE_ENDIAN);
    for (String b : blocks) {
      byte[] raw = b.getBytes(StandardCharsets.UTF_8);
      byte[] z = raw.length == 0 ? new byte[0] : zlib(raw);
      bzs.putInt(bzz.size()).putInt(z.length).putInt(raw.length);
      bzz.writeBytes(z);
    }
    Files.createDirectories(dir);
    Files.write(dir.resolve(testament + ".bzs"), bzs.array());
    Files.write(dir.resolve(testament + ".bzz"), bzz.toByteArray());
  }
}
