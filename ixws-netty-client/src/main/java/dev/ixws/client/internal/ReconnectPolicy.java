package dev.ixws.client.internal;

/**
 * The reconnection settings at one moment; read again at every decision, so a change made while the
 * client is waiting applies to the next wait.
 *
 * @param enabled whether a connection that ends without the application asking is reopened
 * @param minWaitMillis the smallest wait between attempts
 * @param maxWaitMillis the cap on the wait between attempts
 * @param jitter how much of each wait may be taken off at random (0 to 1; 0 keeps IX's schedule)
 */
public record ReconnectPolicy(
    boolean enabled, long minWaitMillis, long maxWaitMillis, double jitter) {

  /** The wait after the {@code failures}-th failure in a row, with jitter applied. */
  public long waitMillis(int failures) {
    long wait = ReconnectBackoff.waitMillis(failures, minWaitMillis, maxWaitMillis);
    return ReconnectBackoff.withJitter(
        wait, jitter, java.util.concurrent.ThreadLocalRandom.current().nextDouble());
  }
}
