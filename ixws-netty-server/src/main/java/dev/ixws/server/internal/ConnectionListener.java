package dev.ixws.server.internal;

import dev.ixws.client.WebSocket;
import dev.ixws.client.internal.AcceptedRole;
import dev.ixws.internal.session.WebSocketSession;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/** What the server does with a client whose handshake succeeded. Called on the event loop. */
public interface ConnectionListener {
  /**
   * The client at {@code remote} is connected as {@code webSocket}, in {@code role}; its {@code
   * OPEN} event is emitted right after this returns.
   */
  void onOpen(
      WebSocket webSocket, AcceptedRole role, WebSocketSession session, SocketAddress remote);

  /**
   * As {@link #onOpen(WebSocket, AcceptedRole, WebSocketSession, SocketAddress)}, with the client's
   * verified TLS certificate chain (leaf first; empty without TLS or client certificate). The
   * server calls this one; by default it drops the chain.
   */
  default void onOpen(
      WebSocket webSocket,
      AcceptedRole role,
      WebSocketSession session,
      SocketAddress remote,
      List<X509Certificate> peerCertificates) {
    onOpen(webSocket, role, session, remote);
  }
}
