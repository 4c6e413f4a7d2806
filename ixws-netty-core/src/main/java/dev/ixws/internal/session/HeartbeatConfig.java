package dev.ixws.internal.session;

/**
 * When a session pings an idle peer and when it gives up on a silent one.
 *
 * @param pingIntervalMillis after this long with nothing sent or received, a ping is sent; 0
 *     disables the heartbeat (IXWebSocket's default)
 * @param pongTimeoutMillis a ping unanswered after this long counts as missed; 0 means it counts as
 *     missed when the next heartbeat is due, as in IXWebSocket
 * @param maxMissedPongs how many missed pongs in a row are tolerated; one more closes the
 *     connection with 1011 "Ping timeout" (0, the default, closes at the first)
 */
public record HeartbeatConfig(long pingIntervalMillis, long pongTimeoutMillis, int maxMissedPongs) {

  /** No heartbeat. */
  public static final HeartbeatConfig OFF = new HeartbeatConfig(0, 0, 0);

  /** Validates the ranges. */
  public HeartbeatConfig {
    if (pingIntervalMillis < 0 || pongTimeoutMillis < 0 || maxMissedPongs < 0) {
      throw new IllegalArgumentException("heartbeat settings must not be negative");
    }
  }

  /** Whether pings are sent at all. */
  public boolean enabled() {
    return pingIntervalMillis > 0;
  }
}
