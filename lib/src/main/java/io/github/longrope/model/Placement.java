package io.github.longrope.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a decoder's weights, K/V cache, RoPE tables and every intermediate live: {@code cpu} or
 * {@code gpu:N}. {@link #AUTO} is the first GPU when this build carries CUDA natives and a GPU is
 * visible, else the CPU (what DJL would pick); it is resolved to a concrete device when a decoder
 * is loaded, and that concrete name is what run records report.
 *
 * <p>GPU placement builds with the {@code -Pgpu} profile (CUDA libtorch) and is unverified in this
 * repository: no GPU was available where it was written.
 *
 * @param name {@code auto}, {@code cpu} or {@code gpu:N}
 */
public record Placement(String name) {
  public static final Placement AUTO = new Placement("auto");
  public static final Placement CPU = new Placement("cpu");

  private static final Pattern GPU = Pattern.compile("gpu(?::(\\d+))?");

  public Placement {
    if (name == null
        || !(name.equals("auto") || name.equals("cpu") || GPU.matcher(name).matches())) {
      throw new IllegalArgumentException(
          "unknown device '" + name + "' (expected cpu, gpu or gpu:N, e.g. gpu:0)");
    }
    if (name.equals("gpu")) {
      name = "gpu:0";
    }
  }

  /** Parses {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}. */
  public static Placement parse(String s) {
    return new Placement(s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT));
  }

  public boolean isGpu() {
    return name.startsWith("gpu");
  }

  /**
   * The concrete placement: {@link #AUTO} becomes {@code gpu:0} or {@code cpu}; a GPU that this
   * build or machine does not have is an {@link IllegalArgumentException} (starts the engine).
   */
  public Placement resolve() {
    if (this.equals(AUTO)) {
      return gpuCount() > 0 ? new Placement("gpu:0") : CPU;
    }
    if (isGpu()) {
      int index = index();
      int count = gpuCount();
      if (count == 0) {
        throw new IllegalArgumentException(
            "device "
                + name
                + " asked for, but this build has no CUDA natives or no GPU is visible"
                + " (build with the -Pgpu profile on a machine with an NVIDIA GPU, or use cpu)");
      }
      if (index >= count) {
        throw new IllegalArgumentException(
            "device " + name + " asked for, but only " + count + " GPU(s) are visible");
      }
    }
    return this;
  }

  /** The DJL device of a resolved placement. */
  Device device() {
    Placement p = resolve();
    return p.isGpu() ? Device.gpu(p.index()) : Device.cpu();
  }

  private int index() {
    Matcher m = GPU.matcher(name);
    return m.matches() && m.group(1) != null ? Integer.parseInt(m.group(1)) : 0;
  }

  private static int gpuCount() {
    return Engine.getInstance().getGpuCount();
  }

  @Override
  public String toString() {
    return name;
  }
}
