package io.github.longrope.io;

/**
 * Bad input in a file: the message always names the file (or other source), the key or line, and
 * what is wrong with it, so that a user can fix the file without reading code.
 */
public final class FormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public FormatException(String source, String where, String problem) {
    super(source + (where == null || where.isEmpty() ? "" : ": " + where) + ": " + problem);
  }

  public FormatException(String source, String where, String problem, Throwable cause) {
    super(source + (where == null || where.isEmpty() ? "" : ": " + where) + ": " + problem, cause);
  }
}
