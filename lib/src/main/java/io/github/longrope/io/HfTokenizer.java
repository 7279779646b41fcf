package io.github.longrope.io;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face {@code tokenizer.json} through DJL's bindings of the Rust tokenizers library.
 *
 * <p>Always built with truncation off and special tokens off: DJL's default silently truncates to
 * 512 tokens, and whether BOS is added depends on the file's post-processor (the LLaMA-3 file adds
 * none). Callers add BOS themselves where a protocol says so (perplexity windows, prompts).
 */
public final class HfTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final Path file;

  private HfTokenizer(HuggingFaceTokenizer tokenizer, Path file) {
    this.tokenizer = tokenizer;
    this.file = file;
  }

  /** Loads {@code tokenizer.json} from a file or a model directory. */
  public static HfTokenizer load(Path fileOrDir) {
    Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve("tokenizer.json") : fileOrDir;
    if (!Files.isRegularFile(file)) {
      throw new FormatException(
          file.toString(), "", "tokenizer not found (a model directory needs tokenizer.json)");
    }
    try {
      return new HfTokenizer(
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(file)
              .optAddSpecialTokens(false)
              .optTruncation(false)
              .optPadding(false)
              .build(),
          file);
    } catch (IOException | RuntimeException e) {
      throw new FormatException(file.toString(), "", "cannot load tokenizer: " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** Token ids of a text, with no special tokens added and no truncation. */
  public int[] encode(String text) {
    Encoding enc = tokenizer.encode(text, false, false);
    long[] ids = enc.getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  /** Text of token ids (special tokens skipped). */
  public String decode(int[] ids) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return tokenizer.decode(l, true);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
