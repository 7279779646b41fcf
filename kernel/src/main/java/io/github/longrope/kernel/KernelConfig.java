package io.github.longrope.kernel;

import io.github.longrope.kernel.display.Renderers;
import java.nio.file.Path;
import java.util.Map;

/**
 * Kernel settings, all from environment variables (set them in {@code kernel.json}'s {@code env} or
 * with {@code ./longrope kernel install --env NAME=VALUE}).
 *
 * @param maxRows {@code LONGROPE_KERNEL_MAX_ROWS}: rows shown per table (default 30)
 * @param interruptGraceMillis {@code LONGROPE_KERNEL_INTERRUPT_GRACE_MS}: how long a cell may
 *     ignore an interrupt before its thread is stopped (default 3000)
 * @param startup {@code LONGROPE_KERNEL_STARTUP}: a file of Java snippets run at start, or null
 * @param classpath {@code LONGROPE_KERNEL_CLASSPATH}: extra jars/globs added at start, or null
 * @param mavenOfflineOnly {@code LONGROPE_KERNEL_MAVEN_OFFLINE=1}: {@code %maven} never goes online
 */
public record KernelConfig(
    int maxRows,
    long interruptGraceMillis,
    Path startup,
    String classpath,
    boolean mavenOfflineOnly) {

  public KernelConfig {
    if (maxRows < 1) {
      throw new IllegalArgumentException("LONGROPE_KERNEL_MAX_ROWS must be >= 1, got " + maxRows);
    }
    if (interruptGraceMillis < 0) {
      throw new IllegalArgumentException(
          "LONGROPE_KERNEL_INTERRUPT_GRACE_MS must be >= 0, got " + interruptGraceMillis);
    }
  }

  /** The defaults (no environment). */
  public static KernelConfig defaults() {
    return fromEnvironment(Map.of());
  }

  public static KernelConfig fromEnvironment(Map<String, String> env) {
    return new KernelConfig(
        Integer.parseInt(
            env.getOrDefault("LONGROPE_KERNEL_MAX_ROWS", "" + Renderers.DEFAULT_MAX_ROWS)),
        Long.parseLong(env.getOrDefault("LONGROPE_KERNEL_INTERRUPT_GRACE_MS", "3000")),
        blankToNull(env.get("LONGROPE_KERNEL_STARTUP")) == null
            ? null
            : Path.of(env.get("LONGROPE_KERNEL_STARTUP")),
        blankToNull(env.get("LONGROPE_KERNEL_CLASSPATH")),
        "1".equals(env.get("LONGROPE_KERNEL_MAVEN_OFFLINE")));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
