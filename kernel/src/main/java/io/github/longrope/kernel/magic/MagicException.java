package io.github.longrope.kernel.magic;

/** A magic was misused or failed (unknown name, bad arguments, resolution failure). */
public final class MagicException extends Exception {
  private static final long serialVersionUID = 1L;

  public MagicException(String message) {
    super(message);
  }

  public MagicException(String message, Throwable cause) {
    super(message, cause);
  }
}
