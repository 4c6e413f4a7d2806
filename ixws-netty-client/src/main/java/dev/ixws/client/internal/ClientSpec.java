package dev.ixws.client.internal;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.internal.session.SessionConfig;
import java.util.List;
import java.util.function.Supplier;

/**
 * The immutable settings of one connection attempt, snapshotted from the {@code WebSocket}'s
 * setters by {@code start()} or {@code connect()}.
 *
 * @param url where to connect
 * @param extraHeaders supplies the handshake's extra headers; called on every attempt
 * @param subprotocols offered in {@code Sec-WebSocket-Protocol}, in order of preference
 * @param handshakeTimeoutMillis how long TCP connect plus the opening handshake may take
 * @param session the settings of the connection once open
 * @param localAddress the local IP (or host) the TCP socket binds before connecting; null lets the
 *     system choose
 */
public record ClientSpec(
    WebSocketUrl url,
    Supplier<WebSocketHttpHeaders> extraHeaders,
    List<String> subprotocols,
    long handshakeTimeoutMillis,
    SessionConfig session,
    String localAddress) {

  /** Copies the list. */
  public ClientSpec {
    subprotocols = List.copyOf(subprotocols);
  }
}
