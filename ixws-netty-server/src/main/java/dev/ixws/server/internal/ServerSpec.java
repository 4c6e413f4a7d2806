package dev.ixws.server.internal;

import dev.ixws.SocketTLSOptions;
import dev.ixws.internal.codec.ReceiveBudget;
import dev.ixws.internal.session.SessionConfig;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The immutable settings a server runs with, snapshotted by {@code listen()}.
 *
 * @param maxConnections connections beyond this many are refused with HTTP 503
 * @param handshakeTimeoutMillis a client that has not completed its handshake by then is dropped
 * @param subprotocols the subprotocols the server supports, in its order of preference
 * @param session the settings of each open connection
 * @param callbackExecutor where callbacks run; null for the event-loop threads
 * @param maxPendingReceiveBytes the total the messages still being received may hold, over all
 *     connections (the server's {@link ReceiveBudget}); the connection that would exceed it fails
 *     with 1009
 * @param tls the TLS options; the server speaks TLS when {@link SocketTLSOptions#tls()} is true
 */
public record ServerSpec(
    int maxConnections,
    long handshakeTimeoutMillis,
    List<String> subprotocols,
    SessionConfig session,
    Executor callbackExecutor,
    long maxPendingReceiveBytes,
    SocketTLSOptions tls) {

  /** Copies the list, checks the budget. */
  public ServerSpec {
    subprotocols = List.copyOf(subprotocols);
    Objects.requireNonNull(tls, "tls");
    if (maxPendingReceiveBytes < 1) {
      throw new IllegalArgumentException(
          "maxPendingReceiveBytes must be positive: " + maxPendingReceiveBytes);
    }
  }

  /** A plain (no TLS) server. */
  public ServerSpec(
      int maxConnections,
      long handshakeTimeoutMillis,
      List<String> subprotocols,
      SessionConfig session,
      Executor callbackExecutor,
      long maxPendingReceiveBytes) {
    this(
        maxConnections,
        handshakeTimeoutMillis,
        subprotocols,
        session,
        callbackExecutor,
        maxPendingReceiveBytes,
        SocketTLSOptions.defaults());
  }

  /** Whether the server speaks TLS. */
  public boolean isTls() {
    return tls.tls();
  }

  /**
   * A plain server with the default receive budget ({@link
   * ReceiveBudget#defaultServerLimitBytes()}).
   */
  public ServerSpec(
      int maxConnections,
      long handshakeTimeoutMillis,
      List<String> subprotocols,
      SessionConfig session,
      Executor callbackExecutor) {
    this(
        maxConnections,
        handshakeTimeoutMillis,
        subprotocols,
        session,
        callbackExecutor,
        ReceiveBudget.defaultServerLimitBytes());
  }
}
