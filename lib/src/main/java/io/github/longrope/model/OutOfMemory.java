package io.github.longrope.model;

import java.util.Locale;

/**
 * A decoder call that did not fit in memory: refused by the {@link MemoryPlan} before it started,
 * or stopped by the allocator (libtorch's "not enough memory" / "CUDA out of memory", or the JVM's
 * heap) while it ran. The message names the length, the attention chunk and what to change. It is
 * an {@link IllegalArgumentException} because the cure is in the run's inputs (a shorter length, a
 * smaller chunk, f16), so callers report it like any bad input; nothing recorded before the call is
 * lost, since runs append their records as they go.
 */
public final class OutOfMemory extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  OutOfMemory(String message, Throwable cause) {
    super(message, cause);
  }

  /** The allocator failed during a call over {@code length} tokens. */
  static OutOfMemory during(
      int length, int attentionChunk, Precision precision, Placement where, Throwable cause) {
    return new OutOfMemory(
        String.format(
            Locale.ROOT,
            "out of memory on %s during a forward over %d tokens in %s with attention chunks of %d"
                + " rows (%s); use a shorter length, a smaller attention chunk%s, or a device with"
                + " more memory (the memory plan gives the numbers)",
            where,
            length,
            precision,
            attentionChunk,
            firstLine(cause.getMessage()),
            precision == Precision.F32 ? ", f16" : ""),
        cause);
  }

  /** The allocator failed while the weights were loading. */
  static OutOfMemory whileLoading(MemoryPlan least, Placement where, Throwable cause) {
    return new OutOfMemory(
        String.format(
            Locale.ROOT,
            "out of memory on %s while loading %s of weights in %s (%s); free memory, load in a"
                + " smaller dtype, or give the JVM more (LONGROPE_JAVA_OPTS: -Xmx for the heap the"
                + " tensors are read through, -XX:MaxDirectMemorySize for the weights themselves)",
            where,
            MemoryPlan.bytes(least.weights()),
            least.precision(),
            firstLine(cause.getMessage())),
        cause);
  }

  /** True for the allocation failures libtorch and the JVM report. */
  static boolean isAllocationFailure(Throwable e) {
    if (e instanceof OutOfMemoryError) {
      return true;
    }
    String m = e.getMessage();
    if (m == null) {
      return false;
    }
    String s = m.toLowerCase(Locale.ROOT);
    return s.contains("out of memory")
        || s.contains("not enough memory")
        || s.contains("failed to allocate")
        || s.contains("bad_alloc");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no message";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
