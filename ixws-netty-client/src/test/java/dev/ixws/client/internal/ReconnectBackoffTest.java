package dev.ixws.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IXWebSocket's reconnection schedule ({@code calculateRetryWaitMilliseconds}), value by value. */
class ReconnectBackoffTest {

  private static final long DEFAULT_MIN = 1;
  private static final long DEFAULT_MAX = 10_000;

  @ParameterizedTest(name = "failure {0} waits {1} ms")
  @CsvSource({
    "1, 100",
    "2, 200",
    "3, 400",
    "4, 800",
    "5, 1600",
    "6, 3200",
    "7, 6400",
    "8, 10000",
    "9, 10000"
  })
  void defaultScheduleDoublesFrom100MsUpToTheTenSecondCap(int failures, long expected) {
    assertEquals(expected, ReconnectBackoff.waitMillis(failures, DEFAULT_MIN, DEFAULT_MAX));
  }

  @ParameterizedTest(name = "failure {0} waits {1} ms")
  @CsvSource({"1, 100", "5, 1600", "6, 3200", "7, 5000", "8, 5000", "20, 5000"})
  void reconnectWaitIsCappedAtMaxWait(int failures, long expected) {
    assertEquals(expected, ReconnectBackoff.waitMillis(failures, DEFAULT_MIN, 5000));
  }

  @ParameterizedTest(name = "failure {0} waits {1} ms")
  @CsvSource({"1, 500", "2, 500", "3, 500", "4, 800", "5, 1600"})
  void minWaitRaisesTheShortWaits(int failures, long expected) {
    assertEquals(expected, ReconnectBackoff.waitMillis(failures, 500, DEFAULT_MAX));
  }

  @Test
  void minWaitAboveMaxWaitYieldsTheMax() {
    assertEquals(300, ReconnectBackoff.waitMillis(1, 1000, 300));
  }

  @ParameterizedTest(name = "failure {0}")
  @CsvSource({"26", "27", "30", "31", "32", "33", "63", "64", "65", "1000", "2147483647"})
  void hugeFailureCountsStayCappedWithoutOverflow(int failures) {
    assertEquals(DEFAULT_MAX, ReconnectBackoff.waitMillis(failures, DEFAULT_MIN, DEFAULT_MAX));
    long max = Long.MAX_VALUE;
    long wait = ReconnectBackoff.waitMillis(failures, DEFAULT_MIN, max);
    assertTrue(wait > 0, "no overflow to a negative or zero wait: " + wait);
  }

  @Test
  void lastDoublingIsAt2Pow25AndBeyondItTheMaxIsUsed() {
    // IX doubles while the retry index is below 26: 2^25 * 100 ms is its longest computed wait.
    long uncapped = Long.MAX_VALUE;
    assertEquals((1L << 25) * 100, ReconnectBackoff.waitMillis(26, DEFAULT_MIN, uncapped));
    assertEquals(uncapped, ReconnectBackoff.waitMillis(27, DEFAULT_MIN, uncapped));
  }

  @Test
  void failureCountStartsAtOne() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ReconnectBackoff.waitMillis(0, DEFAULT_MIN, DEFAULT_MAX));
    assertThrows(
        IllegalArgumentException.class,
        () -> ReconnectBackoff.waitMillis(-1, DEFAULT_MIN, DEFAULT_MAX));
  }

  @Test
  void zeroJitterKeepsTheExactWait() {
    for (double random : new double[] {0, 0.25, 0.5, Math.nextDown(1.0)}) {
      assertEquals(6400, ReconnectBackoff.withJitter(6400, 0, random));
    }
  }

  @ParameterizedTest(name = "wait 1000, jitter {0}, random {1} -> {2}")
  @CsvSource({
    "0.5, 0.0, 1000",
    "0.5, 0.5, 750",
    "0.5, 0.999999, 500",
    "1.0, 0.0, 1000",
    "1.0, 0.5, 500",
    "1.0, 0.999999, 0",
    "0.1, 0.5, 950",
    "2.0, 0.5, 500"
  })
  void jitterTakesUpToItsShareOffTheWait(double jitter, double random, long expected) {
    assertEquals(expected, ReconnectBackoff.withJitter(1000, jitter, random));
  }

  @Test
  void policyWithJitterStaysWithinBounds() {
    ReconnectPolicy policy = new ReconnectPolicy(true, DEFAULT_MIN, DEFAULT_MAX, 0.3);
    for (int failures = 1; failures <= 10; failures++) {
      long exact = ReconnectBackoff.waitMillis(failures, DEFAULT_MIN, DEFAULT_MAX);
      for (int i = 0; i < 200; i++) {
        long wait = policy.waitMillis(failures);
        assertTrue(
            wait <= exact && wait >= Math.floor(exact * 0.7),
            "failure " + failures + ": " + wait + " outside [" + exact * 0.7 + ", " + exact + "]");
      }
    }
  }

  @Test
  void policyWithoutJitterFollowsTheScheduleExactly() {
    ReconnectPolicy policy = new ReconnectPolicy(true, DEFAULT_MIN, DEFAULT_MAX, 0);
    long[] expected = {100, 200, 400, 800, 1600, 3200, 6400, 10_000};
    for (int failures = 1; failures <= expected.length; failures++) {
      assertEquals(expected[failures - 1], policy.waitMillis(failures), "failure " + failures);
    }
  }
}
