package io.github.longrope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Runs a computation in a child {@link NDScope} and keeps only its result. DJL has no reference
 * counting: every intermediate lives until its scope closes, so each layer and each attention chunk
 * gets its own scope and hands its one output to the parent.
 */
final class Scopes {
  private Scopes() {}

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
