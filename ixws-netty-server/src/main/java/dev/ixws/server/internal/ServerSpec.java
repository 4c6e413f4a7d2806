package dev.ixws.server.internal;

import dev.ixws.internal.session.SessionConfig;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The immutable settings a server runs with, snapshotted by {@code listen()}.
 *
 * @param maxConnections connections beyond this many are refused with HTTP 503
 * @param handshakeTimeoutMillis a client that has not completed its handshake by then is dropped
 * @param subprotocols the subprotocols the server supports, in its order of preference
 * @param session the settings of each open connection
 * @param callbackExecutor where callbacks run; null for the event-loop threads
 */
public record ServerSpec(
    int maxConnections,
    long handshakeTimeoutMillis,
    List<String> subprotocols,
    SessionConfig session,
    Executor callbackExecutor) {

  /** Copies the list. */
  public ServerSpec {
    subprotocols = List.copyOf(subprotocols);
  }
}
