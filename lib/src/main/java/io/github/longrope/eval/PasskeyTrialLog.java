package io.github.longrope.eval;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.longrope.io.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One JSON line per passkey trial (prompt, passkey, answer), flushed as it goes, so a stopped run
 * keeps what it did and a wrong answer can be read next to the prompt that produced it. A null file
 * logs nothing.
 */
public final class PasskeyTrialLog implements AutoCloseable {
  private final BufferedWriter writer;

  /** A line; {@code depth} in percent, null for the official random depth. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Line(
      int length,
      Double depth,
      int trial,
      int passkey,
      int prefixChars,
      int budgetChars,
      int promptTokens,
      String answerText,
      long answer,
      boolean correct,
      double seconds,
      String prompt) {
    Line(PasskeyGrid.Trial t) {
      this(
          t.length(),
          Double.isNaN(t.depth()) ? null : t.depth() * 100,
          t.index(),
          t.prompt().passkey(),
          t.prompt().prefixChars(),
          t.prompt().budgetChars(),
          t.promptTokens(),
          t.answerText(),
          t.answer(),
          t.correct(),
          t.seconds(),
          t.prompt().text());
    }
  }

  public PasskeyTrialLog(Path file) {
    try {
      if (file != null && file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      this.writer = file == null ? null : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  public void write(PasskeyGrid.Trial t) {
    if (writer == null) {
      return;
    }
    try {
      writer.write(Json.MAPPER.valueToTree(new Line(t)).toString());
      writer.write('\n');
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the trial log: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
