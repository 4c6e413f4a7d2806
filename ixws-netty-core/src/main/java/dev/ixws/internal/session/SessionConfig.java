package dev.ixws.internal.session;

import dev.ixws.PerMessageDeflateOptions;

/**
 * The immutable settings one session runs with, snapshotted from the public setters when a
 * connection starts.
 *
 * @param client whether this end is the client (it masks what it sends, expects unmasked frames)
 * @param maxMessageSize the largest message accepted, in bytes, whole or reassembled (RFC 6455
 *     close code 1009 beyond it)
 * @param closeTimeoutMillis how long to wait for the peer's close frame after sending ours before
 *     dropping the TCP connection
 * @param autoPong whether received pings are answered automatically (RFC 6455 section 5.5.2)
 * @param heartbeat when to ping an idle peer and when to give up on a silent one
 * @param deflate per-message deflate: what a client offers, what a server accepts, and how both
 *     compress
 */
public record SessionConfig(
    boolean client,
    int maxMessageSize,
    long closeTimeoutMillis,
    boolean autoPong,
    HeartbeatConfig heartbeat,
    PerMessageDeflateOptions deflate) {

  /** 256 MiB: generous for real applications, bounded against hostile peers. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE_BYTES = 256 * 1024 * 1024;

  /** How long a close handshake may take before the connection is dropped. */
  public static final long DEFAULT_CLOSE_TIMEOUT_MILLIS = 1000;

  /** A session without heartbeat and without per-message deflate. */
  public SessionConfig(
      boolean client, int maxMessageSize, long closeTimeoutMillis, boolean autoPong) {
    this(client, maxMessageSize, closeTimeoutMillis, autoPong, HeartbeatConfig.OFF);
  }

  /** A session without per-message deflate. */
  public SessionConfig(
      boolean client,
      int maxMessageSize,
      long closeTimeoutMillis,
      boolean autoPong,
      HeartbeatConfig heartbeat) {
    this(
        client,
        maxMessageSize,
        closeTimeoutMillis,
        autoPong,
        heartbeat,
        PerMessageDeflateOptions.DISABLED);
  }

  /** Validates the ranges. */
  public SessionConfig {
    java.util.Objects.requireNonNull(heartbeat, "heartbeat");
    java.util.Objects.requireNonNull(deflate, "deflate");
    if (maxMessageSize < 1) {
      throw new IllegalArgumentException("maxMessageSize must be positive: " + maxMessageSize);
    }
    if (closeTimeoutMillis < 0) {
      throw new IllegalArgumentException("closeTimeoutMillis is negative: " + closeTimeoutMillis);
    }
  }
}
