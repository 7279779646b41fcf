package io.github.longrope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak resident memory of this process (Linux {@code VmHWM}), which benchmarks report per row. The
 * peak is cumulative over the process's life, so each row first resets it by writing 5 to {@code
 * /proc/self/clear_refs}; where the kernel refuses, the peak stays cumulative and {@link
 * #resetPeak()} says so.
 */
final class ProcessMemory {
  private ProcessMemory() {}

  /** Peak RSS in MB since the last reset (NaN where /proc is missing). */
  static double peakRssMb() {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return Double.NaN;
    }
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
      }
      return Double.NaN;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Peak RSS in bytes since the last reset (-1 where /proc is missing). */
  static long peakRssBytes() {
    return statusBytes("VmHWM:");
  }

  /** Resident file-backed pages in bytes (shared libraries, memory-mapped checkpoints). */
  static long rssFileBytes() {
    return statusBytes("RssFile:");
  }

  /** Current RSS in bytes (-1 where /proc is missing). */
  static long rssBytes() {
    return statusBytes("VmRSS:");
  }

  private static long statusBytes(String key) {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Resets the peak to the current RSS; false where that is not allowed (peaks then add up). */
  static boolean resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }
}
