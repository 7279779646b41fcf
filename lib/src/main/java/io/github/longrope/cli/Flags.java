package io.github.longrope.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Flag values checked where a command reads them, so that every error names its flag ({@code
 * --dtype: unknown dtype 'f8' …}, exit 2) whichever command declares it.
 */
final class Flags {
  private Flags() {}

  /** Parses a flag's value; an {@link IllegalArgumentException} gets the flag's name in front. */
  static <T> T named(String flag, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }

  /** A list of lengths ({@code --length 1024,4096}): at least one, each at least 1. */
  static int[] lengths(String flag, int[] values) {
    if (values == null || values.length == 0) {
      throw new IllegalArgumentException(flag + ": give at least one length");
    }
    for (int n : values) {
      if (n < 1) {
        throw new IllegalArgumentException(flag + ": lengths must be >= 1, got " + n);
      }
    }
    return values;
  }

  /** A count or size that must be at least 1 ({@code --attention-chunk}). */
  static int positive(String flag, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(flag + ": must be >= 1, got " + value);
    }
    return value;
  }

  /**
   * A flag naming one constant of {@code type}, in any case ({@code --mode long}); an unknown name
   * is an error that lists the known ones.
   */
  static <E extends Enum<E>> E choice(String flag, String text, Class<E> type) {
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      String known =
          Arrays.stream(type.getEnumConstants())
              .map(c -> c.name().toLowerCase(Locale.ROOT))
              .collect(Collectors.joining(", "));
      throw new IllegalArgumentException(
          flag + ": unknown value '" + text + "'; known: " + known, e);
    }
  }

  /** Hands a flag's value to {@code set} when the flag was given (a builder's setter). */
  static <T> void ifGiven(T value, Consumer<T> set) {
    if (value != null) {
      set.accept(value);
    }
  }
}
