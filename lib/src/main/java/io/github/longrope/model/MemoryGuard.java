package io.github.longrope.model;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The memory checks around a {@link Decoder}: before its weights load, and before every call. A
 * call that cannot fit is refused with the {@link MemoryPlan}'s numbers instead of failing deep in
 * native code (on a GPU, a CUDA out-of-memory leaves the process in a state nobody wants to debug),
 * and an allocation failure that happens anyway becomes an {@link OutOfMemory} naming the length,
 * chunk and dtype to change.
 */
final class MemoryGuard {
  private MemoryGuard() {}

  /**
   * Refuses a load whose weights cannot fit the device, or (on the CPU, where DJL keeps weights in
   * direct buffers) the JVM's direct-memory limit; suggests f16 only when f16 would fit.
   *
   * @return the plan of the smallest call, whose weights are what the load needs
   */
  static MemoryPlan beforeLoad(ModelConfig config, Precision precision, Placement where) {
    long available = MemoryBudget.available(where);
    MemoryPlan least = MemoryPlan.of(config, 1, precision, Decoder.DEFAULT_ATTENTION_CHUNK, false);
    if (available >= 0 && !least.fits(available)) {
      throw new OutOfMemory(
          "cannot load the weights on " + where + ": " + least.refusal(available), null);
    }
    long direct = MemoryBudget.directHeadroom();
    if (!where.isGpu() && direct >= 0 && least.weights() > direct) {
      throw new OutOfMemory(
          String.format(
              Locale.ROOT,
              "cannot load the weights on %s: they need %s of the JVM's direct memory, which has"
                  + " %s left; raise its limit (LONGROPE_JAVA_OPTS=-XX:MaxDirectMemorySize=SIZE;"
                  + " ./longrope and the kernel set it to the machine's memory when not given)%s",
              where,
              MemoryPlan.bytes(least.weights()),
              MemoryPlan.bytes(direct),
              precision == Precision.F32 && least.weights() / 2 <= direct
                  ? ", or load in f16, which fits"
                  : ""),
          null);
    }
    return least;
  }

  /**
   * Runs a call over {@code length} tokens ({@code cached} of them already in a KV cache, -1 for a
   * forward without one) after checking its {@link MemoryPlan} against the memory still available,
   * and turns an allocation failure inside it into an {@link OutOfMemory} naming the length and
   * chunk.
   */
  static <T> T run(
      ModelConfig config,
      Precision precision,
      Placement placement,
      int attentionChunk,
      int length,
      int cached,
      Supplier<T> body) {
    long available = MemoryBudget.available(placement);
    boolean withCache = cached >= 0;
    MemoryPlan plan = MemoryPlan.of(config, length, precision, attentionChunk, withCache);
    // already resident: the weights, and the K/V of the tokens in the cache
    long held =
        plan.weights()
            + (long) Math.max(0, cached)
                * config.numLayers()
                * 2
                * config.numKvHeads()
                * config.headDim()
                * precision.bytes();
    if (available >= 0 && !plan.fits(available + held)) {
      throw new OutOfMemory(
          "refused before running: " + plan.refusal(available + plan.weights()), null);
    }
    try {
      return body.get();
    } catch (OutOfMemoryError | RuntimeException e) {
      if (!(e instanceof OutOfMemory) && OutOfMemory.isAllocationFailure(e)) {
        throw OutOfMemory.during(length, attentionChunk, precision, placement, e);
      }
      throw e;
    }
  }
}
