package io.github.longrope.eval;

import io.github.longrope.io.HfTokenizer;

/**
 * Text ↔ token ids, as the evaluations need them: no special tokens added on encode (protocols add
 * BOS themselves), special tokens skipped on decode.
 */
public interface TextCodec {
  int[] encode(String text);

  String decode(int[] ids);

  /** A Hugging Face tokenizer as a codec. */
  static TextCodec of(HfTokenizer tokenizer) {
    return new TextCodec() {
      @Override
      public int[] encode(String text) {
        return tokenizer.encode(text);
      }

      @Override
      public String decode(int[] ids) {
        return tokenizer.decode(ids);
      }
    };
  }

  /** {@code [bos] + encode(text)}, or just the encoding when {@code bos < 0} (no BOS token). */
  default int[] encodeWithBos(String text, int bos) {
    int[] ids = encode(text);
    if (bos < 0) {
      return ids;
    }
    int[] out = new int[ids.length + 1];
    out[0] = bos;
    System.arraycopy(ids, 0, out, 1, ids.length);
    return out;
  }
}
