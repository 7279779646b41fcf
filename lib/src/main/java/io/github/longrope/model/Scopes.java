package io.github.longrope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.function.Supplier;

/**
 * Runs a computation in a child {@link NDScope} and keeps only its result. DJL has no reference
 * counting: every intermediate lives until its scope closes, so each layer and each attention chunk
 * gets its own scope and hands its one output to the parent.
 */
final class Scopes {
  private Scopes() {}

  /**
   * A scalar as a 0-d array in native memory, for arithmetic that autograd may record ({@code
   * x.mul(scalar(x, 0.5f))}, never {@code x.mul(0.5f)}). DJL's Number overloads wrap the number in
   * an array over Java memory and close it right after the op; autograd keeps that array for the
   * backward pass, which then reads memory the garbage collector may already have freed. Training
   * diverged at a random step that way (run to run, even with one thread; rarely a NaN gradient).
   */
  static NDArray scalar(NDArray like, float value) {
    return like.getManager().full(new Shape(), value);
  }

  static NDArray keep(Supplier<NDArray> body) {
    NDArray out;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      out = body.get();
      NDScope.unregister(out);
    }
    NDScope.register(out);
    return out;
  }
}
