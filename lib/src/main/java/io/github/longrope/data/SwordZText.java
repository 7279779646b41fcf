package io.github.longrope.data;

import io.github.longrope.io.FormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A SWORD zText Bible module, read without SWORD.
 *
 * <p>{@code ot.bzs}/{@code nt.bzs} hold 12-byte little-endian block records (offset, compressed
 * size, uncompressed size) into {@code .bzz}; each block is one zlib stream of OSIS XML (block type
 * BOOK: about one book each). {@link #plainText} turns OSIS into plain text by fixed rules, which
 * the pinned hashes depend on:
 *
 * <ol>
 *   <li>{@code <note …>…</note>} is removed with its content (nested notes included), as are XML
 *       comments;
 *   <li>tags of block elements ({@link #BLOCK_TAGS}: div, chapter, l, lg, lb, p, title, item, list,
 *       milestone, speaker, head) become a line break, every other tag is removed (verse numbers
 *       are attributes, so they go with the tags);
 *   <li>the XML entities {@code &amp; &lt; &gt; &quot; &apos;} and numeric references are decoded;
 *   <li>on every line, runs of spaces, tabs and carriage returns become one space and the line is
 *       trimmed; empty lines are dropped; every line ends with {@code \n}.
 * </ol>
 */
public final class SwordZText {
  /** Elements whose tags end a line. */
  public static final Set<String> BLOCK_TAGS =
      Set.of(
          "div",
          "chapter",
          "l",
          "lg",
          "lb",
          "p",
          "title",
          "item",
          "list",
          "milestone",
          "speaker",
          "head");

  private SwordZText() {}

  /** Plain text of one testament ({@code ot} or {@code nt}) of the module in {@code moduleDir}. */
  public static String testament(Path moduleDir, String testament) {
    Path bzs = moduleDir.resolve(testament + ".bzs");
    Path bzz = moduleDir.resolve(testament + ".bzz");
    try {
      List<String> blocks =
          blocks(Files.readAllBytes(bzs), Files.readAllBytes(bzz), bzz.toString());
      return plainText(String.join("\n", blocks));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + bzs + ": " + e.getMessage(), e);
    }
  }

  /** The OSIS XML of every block, in file order. */
  public static List<String> blocks(byte[] bzs, byte[] bzz, String source) {
    if (bzs.length % 12 != 0) {
      throw new FormatException(
          source, "index", "block index size " + bzs.length + " is not a multiple of 12");
    }
    ByteBuffer idx = ByteBuffer.wrap(bzs).order(ByteOrder.LITTLE_ENDIAN);
    List<String> out = new ArrayList<>();
    for (int b = 0; b < bzs.length / 12; b++) {
      long offset = Integer.toUnsignedLong(idx.getInt());
      long compressed = Integer.toUnsignedLong(idx.getInt());
      long size = Integer.toUnsignedLong(idx.getInt());
      String where = "block " + b;
      if (offset + compressed > bzz.length || size > Integer.MAX_VALUE) {
        throw new FormatException(
            source,
            where,
            "bytes ["
                + offset
                + ", "
                + (offset + compressed)
                + ") outside the "
                + bzz.length
                + "-byte file");
      }
      if (compressed == 0) {
        out.add("");
        continue;
      }
      Inflater inf = new Inflater();
      try {
        inf.setInput(bzz, (int) offset, (int) compressed);
        byte[] data = new byte[(int) size];
        int n = 0;
        while (!inf.finished() && n < data.length) {
          int k = inf.inflate(data, n, data.length - n);
          n += k;
          if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
            break;
          }
        }
        if (n != size) {
          throw new FormatException(
              source, where, "inflates to " + n + " bytes, index says " + size);
        }
        out.add(new String(data, StandardCharsets.UTF_8));
      } catch (DataFormatException e) {
        throw new FormatException(source, where, "corrupt zlib stream: " + e.getMessage(), e);
      } finally {
        inf.end();
      }
    }
    return out;
  }

  /** OSIS XML to plain text by the rules in the class comment. */
  public static String plainText(String osis) {
    StringBuilder text = new StringBuilder(osis.length() / 2);
    int i = 0;
    int n = osis.length();
    while (i < n) {
      char c = osis.charAt(i);
      if (c != '<') {
        text.append(c);
        i++;
        continue;
      }
      if (osis.startsWith("<!--", i)) {
        int end = osis.indexOf("-->", i + 4);
        i = end < 0 ? n : end + 3;
        continue;
      }
      int end = osis.indexOf('>', i);
      if (end < 0) {
        break; // an unterminated tag at the end: dropped
      }
      Tag tag = Tag.parse(osis, i, end);
      i = end + 1;
      if (tag.name.equals("note") && !tag.closing && !tag.selfClosing) {
        i = skipNote(osis, i);
      } else if (BLOCK_TAGS.contains(tag.name)) {
        text.append('\n');
      }
    }
    return normaliseLines(unescape(text.toString()));
  }

  /** Index after the {@code </note>} that closes a note opened just before {@code from}. */
  private static int skipNote(String s, int from) {
    int depth = 1;
    int i = from;
    while (depth > 0) {
      int lt = s.indexOf('<', i);
      if (lt < 0) {
        return s.length();
      }
      int gt = s.indexOf('>', lt);
      if (gt < 0) {
        return s.length();
      }
      Tag t = Tag.parse(s, lt, gt);
      if (t.name.equals("note") && !t.selfClosing) {
        depth += t.closing ? -1 : 1;
      }
      i = gt + 1;
    }
    return i;
  }

  private record Tag(String name, boolean closing, boolean selfClosing) {
    static Tag parse(String s, int lt, int gt) {
      int p = lt + 1;
      boolean closing = p < gt && s.charAt(p) == '/';
      if (closing) {
        p++;
      }
      int start = p;
      while (p < gt && !Character.isWhitespace(s.charAt(p)) && s.charAt(p) != '/') {
        p++;
      }
      return new Tag(s.substring(start, p), closing, s.charAt(gt - 1) == '/');
    }
  }

  /** Decodes the five XML entities and numeric character references; others stay as they are. */
  static String unescape(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int semi = c == '&' ? s.indexOf(';', i) : -1;
      if (semi < 0 || semi - i > 10) {
        out.append(c);
        i++;
        continue;
      }
      String name = s.substring(i + 1, semi);
      String decoded =
          switch (name) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            default -> numeric(name);
          };
      if (decoded == null) {
        out.append(c);
        i++;
      } else {
        out.append(decoded);
        i = semi + 1;
      }
    }
    return out.toString();
  }

  private static String numeric(String name) {
    try {
      if (name.startsWith("#x") || name.startsWith("#X")) {
        return Character.toString(Integer.parseInt(name.substring(2), 16));
      }
      if (name.startsWith("#")) {
        return Character.toString(Integer.parseInt(name.substring(1)));
      }
    } catch (IllegalArgumentException e) {
      return null; // not a number or not a code point: left as written
    }
    return null;
  }

  /** Collapses blanks on every line, trims it, drops empty lines, ends every line with \n. */
  static String normaliseLines(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (String line : s.split("\n", -1)) {
      String l = line.replaceAll("[ \\t\\r\\f\\u000B]+", " ").strip();
      if (!l.isEmpty()) {
        out.append(l).append('\n');
      }
    }
    return out.toString();
  }
}
