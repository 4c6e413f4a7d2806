package dev.ixws.client.internal;

/**
 * The wait before a reconnection attempt: exponential backoff exactly as IXWebSocket computes it
 * ({@code calculateRetryWaitMilliseconds}): 100 ms after the first failure, then 200, 400, 800,
 * 1600, 3200, 6400 ms, and so on, raised to the minimum and capped at the maximum.
 */
public final class ReconnectBackoff {

  private ReconnectBackoff() {}

  /**
   * The wait in milliseconds after the {@code failures}-th failure in a row (1 for the first).
   *
   * @param minWaitMillis the smallest wait
   * @param maxWaitMillis the largest wait (the cap)
   */
  public static long waitMillis(int failures, long minWaitMillis, long maxWaitMillis) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures starts at 1: " + failures);
    }
    int exponent = failures - 1;
    // IX stops doubling at 2^25 (about 3.3e9 ms) and uses the maximum beyond it.
    long wait = exponent < 26 ? (1L << exponent) * 100 : maxWaitMillis;
    if (wait < minWaitMillis) {
      wait = minWaitMillis;
    }
    return Math.min(wait, maxWaitMillis);
  }

  /**
   * {@code waitMillis} reduced by up to {@code jitter} of itself (0 to 1), using {@code random} in
   * [0, 1): fleets of clients then spread their attempts instead of reconnecting in lock step.
   */
  public static long withJitter(long waitMillis, double jitter, double random) {
    if (jitter <= 0) {
      return waitMillis;
    }
    return Math.round(waitMillis * (1 - Math.min(1, jitter) * random));
  }
}
