package io.github.longrope.eval;

import io.github.longrope.io.HfTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class that writes prompts and reads answers through the bundled 32k tokenizer: one
 * tokenizer (native, so closed after the class) and its codec, loaded before the class's tests.
 */
public abstract class CodecCase {
  protected static HfTokenizer tokenizer;
  protected static TextCodec codec;

  @BeforeAll
  static void loadCodec() {
    tokenizer = EvalFixtures.tokenizer();
    codec = TextCodec.of(tokenizer);
  }

  @AfterAll
  static void closeCodec() {
    tokenizer.close();
  }
}
