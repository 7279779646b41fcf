package io.github.longrope.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.longrope.io.Fingerprint;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Opens evaluation data by its form:
 *
 * <ul>
 *   <li>{@code PREFIX.bin}/{@code PREFIX.idx} (or the prefix): the binary {@link TokenFile};
 *   <li>{@code .json}: token ids, one array (one document) or an array of arrays;
 *   <li>{@code .txt}, or a directory of {@code .txt} files: one document per file, tokenized;
 *   <li>{@code .jsonl}: one document per line, the text in {@code field} (default {@code text}).
 * </ul>
 *
 * The tokenizer is only loaded when text needs it.
 */
public final class DocumentSources {
  private DocumentSources() {}

  public static Documents open(Path path, Supplier<HfTokenizer> tokenizer, String field) {
    String name = path.getFileName().toString();
    if (Files.isDirectory(path)) {
      return textFiles(path, tokenizer);
    }
    if ((name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".txt"))
        && !Files.isRegularFile(path)) {
      throw new FormatException(path.toString(), "", "data file not found");
    }
    if (name.endsWith(".json")) {
      return jsonIds(path);
    }
    if (name.endsWith(".jsonl")) {
      return jsonLines(path, tokenizer.get(), field == null ? "text" : field);
    }
    if (name.endsWith(".txt")) {
      return new InMemoryDocuments(List.of(tokenizer.get().encode(read(path))));
    }
    boolean tokenFile = name.endsWith(".bin") || name.endsWith(".idx") || !name.contains(".");
    if (tokenFile && !Files.exists(path) && !Files.exists(path.resolveSibling(name + ".idx"))) {
      Path parent = path.toAbsolutePath().getParent();
      boolean corpus = parent != null && parent.endsWith(Path.of(Recipes.CORPUS.name(), "data"));
      throw new FormatException(
          path.toString(),
          "",
          "data not found"
              + (corpus ? "; build the corpus with ./longrope data prepare corpus" : ""));
    }
    if (name.endsWith(".bin")
        || name.endsWith(".idx")
        || Files.exists(path.resolveSibling(name + ".idx"))) {
      return TokenFile.open(path);
    }
    throw new FormatException(
        path.toString(),
        "",
        "unknown data form: use PREFIX.bin/.idx, .json ids, .txt, .jsonl or a directory of .txt");
  }

  private static Documents jsonIds(Path path) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(path.toFile());
    } catch (IOException e) {
      throw new FormatException(path.toString(), "", "malformed JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isArray() || root.isEmpty()) {
      throw new FormatException(
          path.toString(), "", "expected a JSON array of token ids (or of arrays)");
    }
    List<int[]> docs = new ArrayList<>();
    if (root.get(0).isArray()) {
      for (int d = 0; d < root.size(); d++) {
        docs.add(ids(root.get(d), path, "document " + d));
      }
    } else {
      docs.add(ids(root, path, "document 0"));
    }
    return new InMemoryDocuments(docs);
  }

  private static int[] ids(JsonNode array, Path path, String where) {
    if (!array.isArray()) {
      throw new FormatException(path.toString(), where, "is not an array of token ids");
    }
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = array.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
        throw new FormatException(path.toString(), where + ", item " + i, "not a token id: " + v);
      }
      out[i] = v.intValue();
    }
    return out;
  }

  private static Documents jsonLines(Path path, HfTokenizer tok, String field) {
    List<int[]> docs = new ArrayList<>();
    try (InputStream in = Files.newInputStream(path)) {
      UserData.readJsonLines(path, in, field, text -> docs.add(tok.encode(text)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
    return new InMemoryDocuments(docs);
  }

  /**
   * The files {@link #open} reads for a path: the {@code .bin} and {@code .idx} of a token file,
   * the {@code .txt} files of a directory, or the file itself.
   */
  public static List<Path> files(Path path) {
    if (Files.isDirectory(path)) {
      return textFileList(path);
    }
    String name = path.getFileName().toString();
    if (name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".txt")) {
      return List.of(path);
    }
    Path p = TokenFile.prefix(path);
    return List.of(
        p.resolveSibling(p.getFileName() + ".bin"), p.resolveSibling(p.getFileName() + ".idx"));
  }

  /** The content fingerprint of what {@link #open} reads for a path (see {@link Fingerprint}). */
  public static String fingerprint(Path path) {
    List<Path> files = files(path);
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new FormatException(f.toString(), "", "data file not found");
      }
    }
    return Fingerprint.files(files);
  }

  private static List<Path> textFileList(Path dir) {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new FormatException(dir.toString(), "", "no .txt files");
    }
    return files;
  }

  private static Documents textFiles(Path dir, Supplier<HfTokenizer> tokenizer) {
    List<Path> files = textFileList(dir);
    HfTokenizer tok = tokenizer.get();
    List<int[]> docs = new ArrayList<>();
    for (Path f : files) {
      docs.add(tok.encode(read(f)));
    }
    return new InMemoryDocuments(docs);
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (MalformedInputException e) {
      throw new FormatException(f.toString(), "", "not valid UTF-8 text", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }
}
