package io.github.longrope.kernel.jshell;

import java.util.List;

/**
 * A cell that failed: the lines to show (the real exception class and message, the cell and line,
 * the source line, causes) and the exception object the kernel reports, whose simple class name
 * becomes the Jupyter error name.
 *
 * <p>For an exception thrown by cell code that object is the real exception (so the error name is,
 * say, {@code IllegalStateException}); compile errors are {@link CompilationException}, an {@code
 * Error} such as {@code OutOfMemoryError} is a {@link JavaError}, an interrupted cell a {@code
 * java.lang.InterruptedException}.
 */
public class EvalFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<String> traceback;
  private final transient Exception reported;

  EvalFailure(String message, List<String> traceback, Exception reported) {
    super(message, null, false, false);
    this.traceback = List.copyOf(traceback);
    this.reported = reported;
  }

  /** The formatted error, one line per element. */
  public List<String> traceback() {
    return traceback;
  }

  /** The exception to report to Jupyter (this failure when there is no better one). */
  public Exception reported() {
    return reported != null ? reported : this;
  }

  /** The source did not compile (or was incomplete). */
  public static final class CompilationException extends EvalFailure {
    private static final long serialVersionUID = 1L;

    CompilationException(String message, List<String> traceback) {
      super(message, traceback, null);
    }
  }

  /** Cell code threw an {@link Error} (e.g. {@code OutOfMemoryError}); the message names it. */
  public static final class JavaError extends EvalFailure {
    private static final long serialVersionUID = 1L;

    JavaError(String message, List<String> traceback) {
      super(message, traceback, null);
    }
  }
}
