package dev.ixws.client.internal;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.internal.session.SessionConfig;
import dev.ixws.internal.tls.TlsClient;
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
 * @param tls the TLS side of a {@code wss://} connection, prepared from the TLS options (or the
 *     reason they cannot be used); null for {@code ws://}
 */
public record ClientSpec(
    WebSocketUrl url,
    Supplier<WebSocketHttpHeaders> extraHeaders,
    List<String> subprotocols,
    long handshakeTimeoutMillis,
    SessionConfig session,
    String localAddress,
    TlsClient tls) {

  /** Copies the list. */
  public ClientSpec {
    subprotocols = List.copyOf(subprotocols);
  }

  /** A spec without TLS (a {@code ws://} URL, or a {@code wss://} one that then fails). */
  public ClientSpec(
      WebSocketUrl url,
      Supplier<WebSocketHttpHeaders> extraHeaders,
      List<String> subprotocols,
      long handshakeTimeoutMillis,
      SessionConfig session,
      String localAddress) {
    this(url, extraHeaders, subprotocols, handshakeTimeoutMillis, session, localAddress, null);
  }
}
