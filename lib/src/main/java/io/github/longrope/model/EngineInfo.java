package io.github.longrope.model;

import ai.djl.engine.Engine;

/**
 * What the engine runs on, for provenance (the notebook's reproducibility stamp): its default
 * device and its thread settings. Asking for the device starts DJL's engine (loads libtorch) if no
 * model has yet.
 */
public final class EngineInfo {
  private EngineInfo() {}

  /** The engine's default device, e.g. {@code cpu()} or {@code gpu(0)}. */
  public static String device() {
    return Engine.getInstance().defaultDevice().toString();
  }

  /** The intra-op threads set through {@link EngineThreads}, or libtorch's default. */
  public static String threads() {
    String n = System.getProperty("ai.djl.pytorch.num_threads");
    return n != null
        ? n + " intra-op, 1 inter-op"
        : "libtorch default (" + Runtime.getRuntime().availableProcessors() + " cores)";
  }
}
