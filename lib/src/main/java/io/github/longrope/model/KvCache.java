package io.github.longrope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.github.longrope.rope.RopeFrequencies;
import io.github.longrope.rope.RopeScaling;
import java.util.Arrays;
import java.util.Optional;

/**
 * Cached keys and values for generation, with the RoPE table they were computed under as explicit
 * state.
 *
 * <p>Why: with a length-dependent RoPE (the HF {@code longrope} short/long pair, dynamic NTK,
 * dynamic LongRoPE) a cache filled under one table is wrong under the next. Engines that keep it
 * produce gibberish once generation crosses the original length (vLLM #27414, unsloth #1199,
 * llama.cpp #24823; docs/method.md, "Known failure modes", F1 and F8). Two policies, both exact:
 *
 * <ul>
 *   <li>{@link Policy#RECOMPUTE} (HF semantics): every step computes the table for the new total
 *       length; when it differs from the cached one, the cache is dropped and the prompt plus the
 *       generated tokens are run again. The next logits equal a fresh full forward over the same
 *       tokens. A short/long pair recomputes once (at length L + 1); dynamic variants recompute at
 *       every step beyond L.
 *   <li>{@link Policy#FIXED}: the table is chosen once for a declared maximum length (vLLM's fix: a
 *       request that may exceed L uses the long factors from its first token) and never changes, so
 *       nothing is recomputed; logits equal a full forward under that fixed table.
 * </ul>
 *
 * <p>Re-rotating the cached keys (suggested in llama.cpp #24875) is <em>not</em> exact for more
 * than one layer: it repairs layer 0's keys, but the keys and values of deeper layers are functions
 * of earlier layers' attention outputs, which were computed under the old table. Measured on a
 * 2-layer model: layer-1 keys off by 100% relative after re-rotation. So it is not offered.
 */
public final class KvCache implements AutoCloseable {
  /** What to do about a RoPE table that depends on length. */
  public enum Policy {
    RECOMPUTE,
    FIXED
  }

  final RopeScaling scaling;
  final Policy policy;

  /** For {@link Policy#FIXED}: the length the table is computed for; else 0. */
  final int fixedLength;

  private final NDManager manager;
  private final int layers;
  private NDArray[] keys;
  private NDArray[] values;
  private RopeFrequencies[] tables;
  private int[] tokens = new int[0];
  private int recomputes;

  /** The f16 output matrix widened to fp32 on the first step, kept for every later one. */
  private NDArray widenedHead;

  KvCache(NDManager parent, int layers, RopeScaling scaling, Policy policy, int fixedLength) {
    if (policy == Policy.FIXED && fixedLength < 1) {
      throw new IllegalArgumentException("a FIXED cache needs the maximum length it will reach");
    }
    this.manager = parent.newSubManager();
    this.layers = layers;
    this.scaling = scaling;
    this.policy = policy;
    this.fixedLength = policy == Policy.FIXED ? fixedLength : 0;
    clear();
  }

  /** Tokens cached so far. */
  public int length() {
    return tokens.length;
  }

  /** The short/long regime the cached keys were computed under (short/long pairs only). */
  public Optional<RopeScaling.Regime> regime() {
    return scaling.regime(fixedLength > 0 ? fixedLength : Math.max(1, tokens.length));
  }

  /** How many times the table changed and the cache was recomputed. */
  public int recomputes() {
    return recomputes;
  }

  public Policy policy() {
    return policy;
  }

  /** The length whose table applies when the cache holds {@code total} tokens. */
  int tableLength(int total) {
    return fixedLength > 0 ? fixedLength : total;
  }

  int[] tokens() {
    return tokens.clone();
  }

  /** True when the cached keys were computed under {@code next} (same frequencies and scales). */
  boolean matches(RopeFrequencies[] next) {
    for (int l = 0; l < layers; l++) {
      RopeFrequencies a = tables[l];
      RopeFrequencies b = next[l];
      if (a != null
          && (a.attentionScale() != b.attentionScale()
              || a.startTokens() != b.startTokens()
              || !Arrays.equals(a.inverseFrequencies(), b.inverseFrequencies()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The fp32 output matrix of an f16 decoder, widened once per generation: a step emits one row of
   * logits, so widening the {@code vocab × hidden} matrix at every step would move more bytes than
   * the row's product (about a fifth of the weight traffic per token for LLaMA-3-8B). The memory
   * plan already counts the widened copy at a generation's peak, so holding it costs nothing more.
   */
  NDArray widenedHead(java.util.function.Supplier<NDArray> widen) {
    if (widenedHead == null) {
      NDArray head = widen.get();
      NDScope.unregister(head);
      head.attach(manager);
      widenedHead = head;
    }
    return widenedHead;
  }

  /** Forgets everything (the tokens too) before a recompute. */
  void reset() {
    recomputes++;
    clear();
  }

  private void clear() {
    closeArrays();
    keys = new NDArray[layers];
    values = new NDArray[layers];
    tables = new RopeFrequencies[layers];
    tokens = new int[0];
  }

  /**
   * Appends a layer's new rotated keys and values {@code (kv, n, headDim)} and returns all keys and
   * values so far.
   */
  NDArray[] append(int layer, NDArray key, NDArray value, RopeFrequencies table) {
    keys[layer] = grow(keys[layer], key);
    values[layer] = grow(values[layer], value);
    tables[layer] = table;
    return new NDArray[] {keys[layer], values[layer]};
  }

  void appendTokens(int[] more) {
    int[] all = Arrays.copyOf(tokens, tokens.length + more.length);
    System.arraycopy(more, 0, all, tokens.length, more.length);
    tokens = all;
  }

  /** old ++ more along the sequence axis, moved out of the current NDScope into this cache. */
  private NDArray grow(NDArray old, NDArray more) {
    NDArray next = old == null ? more.duplicate() : old.concat(more, 1);
    NDScope.unregister(next);
    next.attach(manager);
    if (old != null) {
      old.close();
    }
    return next;
  }

  private void closeArrays() {
    for (NDArray[] set : new NDArray[][] {keys, values}) {
      if (set != null) {
        for (NDArray a : set) {
          if (a != null) {
            a.close();
          }
        }
      }
    }
  }

  @Override
  public void close() {
    closeArrays();
    manager.close();
  }
}
