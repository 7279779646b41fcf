package io.github.longrope.rope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Assertions for the reference values of docs/method.md ("Reference values"), which are printed
 * with 10 significant digits.
 */
public final class Vectors {
  /** Relative tolerance matching a %.10g printout. */
  public static final double PRINTED = 1e-9;

  private Vectors() {}

  public static void assertClose(double expected, double actual, double relTol, String what) {
    double tol = relTol * Math.max(Math.abs(expected), 1e-300);
    if (!(Math.abs(expected - actual) <= tol)) {
      fail(what + ": expected " + expected + " but was " + actual + " (rel tol " + relTol + ")");
    }
  }

  public static void assertClose(double[] expected, double[] actual, double relTol, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual[i], relTol, what + "[" + i + "]");
    }
  }

  /** Printed vectors round the last digit: compare at %.10g precision (5e-10 relative + slack). */
  public static void assertPrinted(double[] expected, double[] actual, String what) {
    assertClose(expected, actual, PRINTED, what);
  }

  public static void assertPrinted(double expected, double actual, String what) {
    assertClose(expected, actual, PRINTED, what);
  }
}
