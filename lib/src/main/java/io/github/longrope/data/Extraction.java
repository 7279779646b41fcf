package io.github.longrope.data;

import io.github.longrope.io.FormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * How one text is made from an extracted package tree: a description (for READMEs) and a pure
 * function of the tree. Files are decoded as strict UTF-8 (malformed bytes fail, naming the file).
 *
 * @param description what is read, with paths relative to the package root
 * @param reader the conversion
 */
public record Extraction(String description, Reader reader) {
  /** Reads a text from a package root. */
  @FunctionalInterface
  public interface Reader {
    String read(Path root) throws IOException;
  }

  /** The text, from the package extracted at {@code root}. */
  public String read(Path root) {
    try {
      return reader.read(root);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot extract " + description + " from " + root + ": " + e.getMessage(), e);
    }
  }

  /** One UTF-8 file as it is. */
  public static Extraction file(String path) {
    return new Extraction(path, root -> utf8(root.resolve(path)));
  }

  /** A gzip file (dictzip included: it is gzip with an extra header field), decompressed. */
  public static Extraction gzip(String path) {
    return new Extraction(path + " (gunzip)", root -> gunzip(root.resolve(path)));
  }

  /** Files concatenated in the order given; a newline is added to a file that lacks a final one. */
  public static Extraction concat(String description, String... paths) {
    List<String> list = List.of(paths);
    return new Extraction(
        description,
        root -> {
          List<Path> files = new ArrayList<>();
          for (String p : list) {
            files.add(root.resolve(p));
          }
          return join(files);
        });
  }

  /**
   * Every file under {@code dir} whose name ends in {@code suffix}, concatenated in sorted order of
   * the relative path ('/'-separated, UTF-16 order, i.e. byte order for ASCII names).
   *
   * @param recursive descend into subfolders
   * @param exclude relative subfolder prefixes to leave out (e.g. {@code library/})
   */
  public static Extraction tree(String dir, String suffix, boolean recursive, String... exclude) {
    String description =
        dir
            + (recursive ? "/**/*" : "/*")
            + suffix
            + (exclude.length == 0 ? "" : " except " + String.join(", ", exclude))
            + ", concatenated in sorted path order";
    List<String> excluded = Arrays.asList(exclude);
    return new Extraction(
        description,
        root -> {
          Path base = root.resolve(dir);
          List<String> rel;
          try (Stream<Path> s = recursive ? Files.walk(base) : Files.list(base)) {
            rel =
                s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .map(p -> base.relativize(p).toString().replace('\\', '/'))
                    .filter(r -> excluded.stream().noneMatch(r::startsWith))
                    .sorted()
                    .toList();
          }
          if (rel.isEmpty()) {
            throw new FormatException(base.toString(), "", "no *" + suffix + " files");
          }
          return join(rel.stream().map(base::resolve).toList());
        });
  }

  /** Record {@code index} of an R lazy-load database, one element per line. */
  public static Extraction rLazyLoad(String rdb, int index, String firstLine) {
    return new Extraction(
        rdb + " record " + index + " (R lazy-load database)",
        root -> {
          Path file = root.resolve(rdb);
          List<List<String>> records = AustenRdb.records(Files.readAllBytes(file), file.toString());
          if (index >= records.size()) {
            throw new FormatException(
                file.toString(), "", "has " + records.size() + " records, need " + (index + 1));
          }
          List<String> lines = records.get(index);
          if (firstLine != null && (lines.isEmpty() || !lines.get(0).equals(firstLine))) {
            throw new FormatException(
                file.toString(),
                "record " + index,
                "expected it to start with '"
                    + firstLine
                    + "', got '"
                    + (lines.isEmpty() ? "" : lines.get(0))
                    + "'");
          }
          return AustenRdb.text(lines);
        });
  }

  /** One testament of a SWORD zText module, as plain text. */
  public static Extraction sword(String moduleDir, String testament) {
    return new Extraction(
        moduleDir + "/" + testament + ".{bzs,bzz} (SWORD zText, OSIS tags stripped)",
        root -> SwordZText.testament(root.resolve(moduleDir), testament));
  }

  static String join(List<Path> files) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Path f : files) {
      String t = utf8(f);
      sb.append(t);
      if (!t.isEmpty() && !t.endsWith("\n")) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  static String utf8(Path file) throws IOException {
    return decode(Files.readAllBytes(file), file);
  }

  static String gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
      return decode(in.readAllBytes(), file);
    }
  }

  static String decode(byte[] bytes, Path file) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new FormatException(file.toString(), "", "not valid UTF-8: " + e.getMessage(), e);
    }
  }
}
