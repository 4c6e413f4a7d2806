package dev.ixws.internal.session;

import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.internal.handshake.Subprotocols;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The session settings that a client {@code WebSocket} and a {@code WebSocketServer} both offer
 * (maximum message size, automatic pong, heartbeat, callback executor, subprotocols, per-message
 * deflate), held once for both: their setters delegate here, and {@link #snapshot} makes the
 * immutable {@link SessionConfig} that the I/O code reads. The next option shared by both roles
 * (TLS options) is added here, once.
 *
 * <p>Thread-safe: every method may be called from any thread; a snapshot sees the values of the
 * setters that returned before it.
 */
public final class SessionSettings {

  /** IXWebSocket's default ping interval: disabled. */
  public static final int DEFAULT_PING_INTERVAL_SECS = -1;

  private int maxMessageSize = SessionConfig.DEFAULT_MAX_MESSAGE_SIZE_BYTES;
  private boolean autoPong = true;
  private int pingIntervalSecs = DEFAULT_PING_INTERVAL_SECS;
  private int pongTimeoutSecs;
  private int maxMissedPongs;
  private Executor callbackExecutor;
  private final List<String> subprotocols = new ArrayList<>();
  private PerMessageDeflateOptions deflate = PerMessageDeflateOptions.DEFAULT;

  /** The defaults: IXWebSocket's, plus a 256 MiB message limit. */
  public SessionSettings() {}

  /**
   * @throws IllegalArgumentException unless {@code maxMessageSizeBytes} is positive
   */
  public synchronized void setMaxMessageSize(int maxMessageSizeBytes) {
    if (maxMessageSizeBytes < 1) {
      throw new IllegalArgumentException("max message size must be positive");
    }
    maxMessageSize = maxMessageSizeBytes;
  }

  /** The largest message accepted, in bytes. */
  public synchronized int maxMessageSize() {
    return maxMessageSize;
  }

  /** Whether received pings are answered automatically. */
  public synchronized void setAutoPong(boolean enabled) {
    autoPong = enabled;
  }

  /** Below 1 disables the heartbeat. */
  public synchronized void setPingInterval(int pingIntervalSecs) {
    this.pingIntervalSecs = pingIntervalSecs;
  }

  /** The ping interval in seconds; below 1 when the heartbeat is off. */
  public synchronized int pingIntervalSecs() {
    return pingIntervalSecs;
  }

  /**
   * @throws IllegalArgumentException if negative
   */
  public synchronized void setPongTimeout(int pongTimeoutSecs) {
    if (pongTimeoutSecs < 0) {
      throw new IllegalArgumentException("pong timeout must not be negative");
    }
    this.pongTimeoutSecs = pongTimeoutSecs;
  }

  /**
   * @throws IllegalArgumentException if negative
   */
  public synchronized void setMaxMissedPongs(int maxMissedPongs) {
    if (maxMissedPongs < 0) {
      throw new IllegalArgumentException("max missed pongs must not be negative");
    }
    this.maxMissedPongs = maxMissedPongs;
  }

  /** Where callbacks run; null for the event-loop threads. */
  public synchronized void setCallbackExecutor(Executor executor) {
    callbackExecutor = executor;
  }

  /** Where callbacks run; null for the event-loop threads. */
  public synchronized Executor callbackExecutor() {
    return callbackExecutor;
  }

  /**
   * Appends a subprotocol: offered by a client, supported by a server, in order of preference.
   *
   * @throws IllegalArgumentException if it is not a valid token
   */
  public synchronized void addSubprotocol(String subprotocol) {
    subprotocols.add(Subprotocols.requireToken(subprotocol));
  }

  /** The subprotocols added, in order (a copy). */
  public synchronized List<String> subprotocols() {
    return List.copyOf(subprotocols);
  }

  /** Per-message deflate's options (enabled by default, as IXWebSocket). */
  public synchronized void setPerMessageDeflateOptions(PerMessageDeflateOptions options) {
    deflate = java.util.Objects.requireNonNull(options, "options");
  }

  /** Turns per-message deflate off, keeping its other options. */
  public synchronized void disablePerMessageDeflate() {
    deflate = deflate.toBuilder().enabled(false).build();
  }

  /** Per-message deflate's options. */
  public synchronized PerMessageDeflateOptions perMessageDeflateOptions() {
    return deflate;
  }

  /** The immutable settings of one session of this {@code client} or server end. */
  public synchronized SessionConfig snapshot(boolean client) {
    HeartbeatConfig heartbeat =
        pingIntervalSecs < 1
            ? HeartbeatConfig.OFF
            : new HeartbeatConfig(
                pingIntervalSecs * 1000L, pongTimeoutSecs * 1000L, maxMissedPongs);
    return new SessionConfig(
        client,
        maxMessageSize,
        SessionConfig.DEFAULT_CLOSE_TIMEOUT_MILLIS,
        autoPong,
        heartbeat,
        deflate);
  }
}
