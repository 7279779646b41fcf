package io.github.longrope.report;

/** Makes AWT headless before the first chart, unless the JVM was started with a choice. */
final class Headless {
  private Headless() {}

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Runs the static initializer (idempotent). */
  static void ensure() {}
}
