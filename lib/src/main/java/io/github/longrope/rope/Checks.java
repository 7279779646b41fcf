package io.github.longrope.rope;

/** Argument checks that fail fast with a message naming the problem (never a silent warning). */
final class Checks {
  private Checks() {}

  static void require(boolean condition, String format, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, format, args));
    }
  }

  static double positiveFinite(double value, String name) {
    require(
        Double.isFinite(value) && value > 0, "%s must be a finite number > 0, got %s", name, value);
    return value;
  }

  static double atLeastOne(double value, String name) {
    require(
        Double.isFinite(value) && value >= 1,
        "%s must be a finite number >= 1, got %s",
        name,
        value);
    return value;
  }

  static int positive(int value, String name) {
    require(value > 0, "%s must be > 0, got %d", name, value);
    return value;
  }
}
