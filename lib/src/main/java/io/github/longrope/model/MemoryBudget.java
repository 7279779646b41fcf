package io.github.longrope.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much memory a decoder may still take on its device, for the {@link MemoryPlan} check before a
 * load or a forward. On the CPU: the kernel's {@code MemAvailable}, capped by the cgroup's limit
 * when one is set (a container). On a GPU: unknown here (DJL exposes no free-memory query), so the
 * check is skipped and an allocation failure is reported as {@link OutOfMemory} instead.
 */
final class MemoryBudget {
  private MemoryBudget() {}

  /** Bytes still available to allocate on {@code where}, or -1 when unknown. */
  static long available(Placement where) {
    if (where.isGpu()) {
      return -1;
    }
    long free = meminfo("MemAvailable:");
    long limit = cgroupHeadroom();
    if (free < 0) {
      return limit;
    }
    return limit < 0 ? free : Math.min(free, limit);
  }

  /**
   * Bytes the JVM may still reserve for direct buffers ({@code -XX:MaxDirectMemorySize}, by default
   * the heap limit, less what is reserved), or -1 when unknown. A CPU decoder's weights live in
   * direct buffers (DJL keeps the buffer an array is created from as its memory), so a model larger
   * than this limit fails to load on a machine with memory to spare: {@code ./longrope} and the
   * kernel raise it to the machine's memory unless told otherwise.
   */
  static long directHeadroom() {
    try {
      var diagnostic =
          java.lang.management.ManagementFactory.getPlatformMXBean(
              com.sun.management.HotSpotDiagnosticMXBean.class);
      long limit = Long.parseLong(diagnostic.getVMOption("MaxDirectMemorySize").getValue());
      if (limit <= 0) {
        limit = Runtime.getRuntime().maxMemory();
      }
      long used = 0;
      for (var pool :
          java.lang.management.ManagementFactory.getPlatformMXBeans(
              java.lang.management.BufferPoolMXBean.class)) {
        if (pool.getName().equals("direct")) {
          used = pool.getMemoryUsed();
        }
      }
      return Math.max(0, limit - used);
    } catch (RuntimeException e) {
      return -1; // not HotSpot: unknown
    }
  }

  private static long meminfo(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc unreadable: unknown
    }
    return -1;
  }

  /** cgroup v2 {@code memory.max − memory.current}, or -1 when unlimited or absent. */
  private static long cgroupHeadroom() {
    try {
      Path dir = Path.of("/sys/fs/cgroup");
      Path max = dir.resolve("memory.max");
      Path current = dir.resolve("memory.current");
      if (!Files.isReadable(max) || !Files.isReadable(current)) {
        return -1;
      }
      String m = Files.readString(max).trim();
      if (m.equals("max")) {
        return -1;
      }
      return Long.parseLong(m) - Long.parseLong(Files.readString(current).trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
