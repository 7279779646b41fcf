package io.github.longrope.model;

/**
 * libtorch's thread counts for this JVM, set through the system properties DJL's PyTorch engine
 * reads when it starts: so it must run before the first model is loaded, and later calls have no
 * effect until a restart. One inter-op thread: the decoder's work is a chain of large ops, and
 * extra inter-op threads only compete with the intra-op pool on small machines.
 */
public final class EngineThreads {
  private EngineThreads() {}

  /** {@code n} ≥ 1 intra-op threads and one inter-op thread. */
  public static void set(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + n);
    }
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }
}
