package io.github.longrope.kernel.runtime;

/** Where {@link Notebook} sends displays: the running kernel (or a test double). */
public interface DisplaySink {
  /** Publishes {@code value} as a new output with display id {@code id}. */
  void display(String id, Object value, String... mimeTypes);

  /** Replaces the output with display id {@code id} by {@code value}. */
  void update(String id, Object value, String... mimeTypes);
}
