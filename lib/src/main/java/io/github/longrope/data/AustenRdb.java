package io.github.longrope.data;

import io.github.longrope.io.FormatException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Character vectors from an R lazy-load database ({@code .rdb}), as shipped by Debian's
 * r-cran-janeaustenr; no R installation needed.
 *
 * <p>The file is a sequence of records: a 4-byte big-endian uncompressed length, then one zlib
 * stream; the next record starts at the first byte the inflater did not consume. Each inflated
 * record is R's XDR serialisation: {@code X\n}, three big-endian ints (format version, R version,
 * minimum version), for format 3 a length-prefixed native-encoding name, then a character vector
 * (flags with low byte 16, a count n, and n elements: flags with low byte 9, a byte length or −1
 * for NA, the bytes). Attributes after the elements are ignored.
 */
public final class AustenRdb {
  static final int STRSXP = 16;
  static final int CHARSXP = 9;
  private static final int LATIN1_MASK = 1 << 2;

  private AustenRdb() {}

  /** Every record of the database as its list of strings (NA as the empty string). */
  public static List<List<String>> records(byte[] rdb, String source) {
    List<List<String>> out = new ArrayList<>();
    int pos = 0;
    while (pos < rdb.length) {
      String where = "record " + out.size() + " (byte " + pos + ")";
      if (rdb.length - pos < 5) {
        throw new FormatException(source, where, "truncated record header");
      }
      int length = readIntBe(rdb, pos);
      if (length < 0) {
        throw new FormatException(source, where, "negative uncompressed length " + length);
      }
      if ((rdb[pos + 4] & 0xFF) != 0x78) {
        throw new FormatException(
            source,
            where,
            "not a zlib stream (R's bzip2/xz lazy-load compression is not supported)");
      }
      Inflater inf = new Inflater();
      try {
        inf.setInput(rdb, pos + 4, rdb.length - pos - 4);
        byte[] data = inflate(inf, length, source, where);
        out.add(strings(data, source, where));
        pos += 4 + (rdb.length - pos - 4 - inf.getRemaining());
      } catch (DataFormatException e) {
        throw new FormatException(source, where, "corrupt zlib stream: " + e.getMessage(), e);
      } finally {
        inf.end();
      }
    }
    return out;
  }

  private static byte[] inflate(Inflater inf, int length, String source, String where)
      throws DataFormatException {
    byte[] data = new byte[length];
    int n = 0;
    while (!inf.finished()) {
      if (n == data.length) {
        // all stated bytes are out: the stream may only have its checksum left
        if (inf.inflate(new byte[1]) > 0) {
          throw new FormatException(
              source, where, "inflates to more than the stated " + length + " bytes");
        }
        if (!inf.finished()) {
          throw new FormatException(source, where, "truncated zlib stream (no checksum)");
        }
        break;
      }
      int k = inf.inflate(data, n, data.length - n);
      n += k;
      if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
        throw new FormatException(
            source, where, "truncated zlib stream (" + n + " of " + length + " bytes)");
      }
    }
    if (n != length) {
      throw new FormatException(
          source, where, "inflates to " + n + " bytes, header says " + length);
    }
    return data;
  }

  /** One element per line, each line ending in a newline. */
  public static String text(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l).append('\n');
    }
    return sb.toString();
  }

  /** The strings of one serialised character vector. */
  static List<String> strings(byte[] xdr, String source, String where) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(xdr))) {
      if (in.readUnsignedByte() != 'X' || in.readUnsignedByte() != '\n') {
        throw new FormatException(source, where, "not R XDR serialisation (no X\\n marker)");
      }
      int version = in.readInt();
      if (version != 2 && version != 3) {
        throw new FormatException(source, where, "unsupported serialisation version " + version);
      }
      in.readInt(); // R version that wrote it
      in.readInt(); // minimum R version to read it
      if (version == 3) {
        int n = in.readInt();
        if (n < 0 || in.skipBytes(n) != n) {
          throw new FormatException(source, where, "bad native-encoding name");
        }
      }
      int flags = in.readInt();
      if ((flags & 0xFF) != STRSXP) {
        throw new FormatException(
            source, where, "not a character vector (SEXP type " + (flags & 0xFF) + ")");
      }
      int count = in.readInt();
      if (count < 0) {
        throw new FormatException(source, where, "long vectors are not supported");
      }
      List<String> strings = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int f = in.readInt();
        if ((f & 0xFF) != CHARSXP) {
          throw new FormatException(
              source, where + ", element " + i, "not a string (SEXP type " + (f & 0xFF) + ")");
        }
        int len = in.readInt();
        if (len == -1) {
          strings.add("");
          continue;
        }
        if (len < 0) {
          throw new FormatException(source, where + ", element " + i, "bad length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        boolean latin1 = ((f >>> 12) & LATIN1_MASK) != 0;
        strings.add(new String(b, latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
      }
      return strings;
    } catch (EOFException e) {
      throw new FormatException(source, where, "serialisation ends early", e);
    } catch (IOException e) {
      throw new FormatException(source, where, "cannot read: " + e.getMessage(), e);
    }
  }

  private static int readIntBe(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }
}
