package dev.ixws.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes, for state that no callback reports (a
 * server's client list, a ready state). Checks every millisecond; fails the test with {@code what}
 * and the last observed value on timeout.
 */
public final class Await {

  private Await() {}

  /** Waits until {@code condition} is true, at most {@code timeout}. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out after " + timeout + " waiting for: " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** Waits until {@code value} equals {@code expected}, at most {@code timeout}. */
  public static <T> void untilEquals(T expected, Duration timeout, Supplier<T> value) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last;
    while (!expected.equals(last = value.get())) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out after " + timeout + " waiting for " + expected + "; last value: " + last);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }
}
