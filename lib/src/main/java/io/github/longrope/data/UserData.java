package io.github.longrope.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.longrope.io.FormatException;
import io.github.longrope.io.HfTokenizer;
import io.github.longrope.io.Json;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A user's own corpus (e.g. PG19 books or Proof-pile files on disk) into the workbench's token
 * format, streamed so that it need not fit in memory.
 *
 * <ul>
 *   <li>{@code .txt} / {@code .txt.gz}: one document per file;
 *   <li>{@code .jsonl} / {@code .jsonl.gz}: one document per non-blank line, the text in a string
 *       field (default {@code text}: Proof-pile's and most HF exports' name);
 *   <li>a directory: every such file below it (recursively), in sorted path order;
 *   <li>{@code .parquet}: not supported — Maven Central has no small pure-Java reader
 *       (parquet-hadoop pulls in Hadoop); convert to {@code .jsonl} first.
 * </ul>
 *
 * Empty documents are skipped (and counted); documents are written in input order.
 */
public final class UserData {
  private UserData() {}

  /**
   * @param inputs files or folders
   * @param field the text field of {@code .jsonl}
   * @param output token file prefix ({@code DIR/NAME} → {@code DIR/NAME.bin} + {@code .idx})
   * @param tokenizer {@code tokenizer.json}
   */
  public record Config(List<Path> inputs, String field, Path output, Path tokenizer) {}

  /** What was written; JSON as {@code data prepare --input … --json} prints it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder({"file", "files", "documents", "tokens", "skipped_empty", "seconds"})
  public record Result(
      @JsonIgnore Path output,
      int files,
      int documents,
      long tokens,
      int skippedEmpty,
      double seconds) {
    /** The token file written. */
    @JsonProperty
    public String file() {
      return output + ".bin";
    }

    public String text() {
      return String.format(
          Locale.ROOT,
          "%s.bin: %d documents, %,d tokens from %d file(s) (%d empty skipped) in %.1f s%n",
          output,
          documents,
          tokens,
          files,
          skippedEmpty,
          seconds);
    }
  }

  /** The input files, expanded and checked (an unsupported or missing file fails here). */
  public static List<Path> files(List<Path> inputs) {
    List<Path> out = new ArrayList<>();
    for (Path in : inputs) {
      if (Files.isDirectory(in)) {
        try (Stream<Path> s = Files.walk(in)) {
          List<Path> found =
              s.filter(Files::isRegularFile).filter(UserData::supported).sorted().toList();
          if (found.isEmpty()) {
            throw new FormatException(
                in.toString(), "", "no .txt, .txt.gz, .jsonl or .jsonl.gz files below it");
          }
          out.addAll(found);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + in + ": " + e.getMessage(), e);
        }
      } else if (!Files.isRegularFile(in)) {
        throw new FormatException(in.toString(), "", "input not found");
      } else if (in.getFileName().toString().endsWith(".parquet")) {
        throw new FormatException(
            in.toString(),
            "",
            "parquet is not supported (no small pure-Java reader on Maven Central; parquet-hadoop"
                + " needs Hadoop): convert it to .jsonl first, e.g. with pandas"
                + " df.to_json(path, orient='records', lines=True)");
      } else if (!supported(in)) {
        throw new FormatException(
            in.toString(),
            "",
            "unknown input form: use .txt, .txt.gz, .jsonl, .jsonl.gz or a folder");
      } else {
        out.add(in);
      }
    }
    return out;
  }

  static boolean supported(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".txt")
        || n.endsWith(".txt.gz")
        || n.endsWith(".jsonl")
        || n.endsWith(".jsonl.gz");
  }

  public static Result run(Config config, DatasetBuilder.Listener listener) {
    long t0 = System.nanoTime();
    List<Path> files = files(config.inputs());
    long total = 0;
    for (Path f : files) {
      total += size(f);
    }
    long totalBytes = total;
    String field = config.field() == null ? "text" : config.field();
    listener.message(files.size() + " input file(s), " + totalBytes + " bytes");
    int[] skipped = {0};
    try (HfTokenizer tok = HfTokenizer.load(config.tokenizer());
        TokenFileWriter out = new TokenFileWriter(config.output())) {
      TextSink sink =
          text -> {
            if (text.isEmpty()) {
              skipped[0]++;
            } else {
              out.add(tok.encode(text));
            }
          };
      long doneBefore = 0;
      listener.progress("tokenize", 0, totalBytes);
      for (Path f : files) {
        String name = f.getFileName().toString();
        Counting raw = open(f);
        try (InputStream in = name.endsWith(".gz") ? gunzip(raw, f) : raw) {
          long base = doneBefore;
          if (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz")) {
            readJsonLines(
                f,
                in,
                field,
                text -> {
                  sink.accept(text);
                  listener.progress("tokenize", base + raw.count, totalBytes);
                });
          } else {
            sink.accept(Extraction.decode(in.readAllBytes(), f));
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
        doneBefore += size(f);
        listener.progress("tokenize", doneBefore, totalBytes);
      }
      out.commit();
      return new Result(
          config.output(),
          files.size(),
          out.documents(),
          out.tokens(),
          skipped[0],
          (System.nanoTime() - t0) / 1e9);
    }
  }

  /** Receives one document's text. */
  interface TextSink {
    void accept(String text);
  }

  /** One document per non-blank line of a {@code .jsonl} stream: the string in {@code field}. */
  static void readJsonLines(Path f, InputStream in, String field, TextSink sink)
      throws IOException {
    BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                in,
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)),
            1 << 16);
    String line;
    int n = 0;
    while ((line = readLine(r, f, n + 1)) != null) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode o = Json.parseObject(line, f + ": line " + n);
      JsonNode text = o.get(field);
      if (text == null || !text.isTextual()) {
        throw new FormatException(
            f.toString(),
            "line " + n,
            "no string field '" + field + "' (choose the field with --field)");
      }
      sink.accept(text.textValue());
    }
  }

  private static String readLine(BufferedReader r, Path f, int lineNo) throws IOException {
    try {
      return r.readLine();
    } catch (CharacterCodingException e) {
      // the reader decodes ahead of the line it returns: the bad bytes are at or after this line
      throw new FormatException(
          f.toString(), "", "not valid UTF-8 text (at or after line " + lineNo + ")", e);
    }
  }

  /** Counts the raw bytes read, for progress through compressed files. */
  private static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  private static Counting open(Path f) {
    try {
      return new Counting(Files.newInputStream(f));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  private static InputStream gunzip(Counting raw, Path f) throws IOException {
    try {
      return new GZIPInputStream(raw, 1 << 16);
    } catch (IOException e) {
      raw.close();
      throw new FormatException(f.toString(), "", "not a gzip file: " + e.getMessage(), e);
    }
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }
}
