package io.github.longrope.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command test on {@link TinyModelDir}'s model and book, fresh for each test: {@code model} and
 * {@code text} under the test's own temporary {@code dir}.
 */
abstract class TinyModelCase {
  @TempDir Path dir;
  Path model;
  Path text;

  /** How many times the book repeats its sentence (more for longer evaluation lengths). */
  int bookRepeats() {
    return 20;
  }

  @BeforeEach
  void modelAndBook() throws Exception {
    model = TinyModelDir.write(dir);
    text = TinyModelDir.book(dir, bookRepeats());
  }
}
