package dev.ixws.client.internal;

import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.ReadyState;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.internal.session.WebSocketSession;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@code WebSocket} is, chosen once when it is created: a {@link ClientRole} that connects
 * out and reconnects, or an {@link AcceptedRole}, the server's end of one accepted connection. The
 * public {@code WebSocket} delegates to its role; the client-only methods reach {@link
 * #client(String)}, which an accepted role refuses.
 *
 * <p>Implementations are safe from any thread.
 */
public sealed interface WebSocketRole permits ClientRole, AcceptedRole {

  /**
   * This role as a client, for the method named {@code method}.
   *
   * @throws IllegalStateException for an accepted connection
   */
  ClientRole client(String method);

  /** Sends now, queues (client with a send queue) or fails with a not-open result. */
  WebSocketSendInfo send(OutgoingMessage message);

  /** Starts the closing handshake; completes once the connection is closed. */
  CompletableFuture<Void> close(int code, String reason);

  /**
   * The session a send can go to directly, with the same result {@link #send} would give: the
   * client's session while it is open (a send otherwise queues or fails there), an accepted
   * connection's session once attached; null otherwise.
   */
  WebSocketSession openSession();

  /** The current (or last) session, or null when none opened yet. */
  WebSocketSession session();

  /** The state the application sees. */
  ReadyState readyState();

  /** The URL connected to, or the request target of an accepted connection. */
  String url();

  /** The largest message accepted, in bytes. */
  int maxMessageSize();

  /** The heartbeat's ping interval in seconds; below 1 when off. */
  int pingIntervalSecs();

  /** The deflate options set (client) or agreed on (accepted; disabled when none was). */
  PerMessageDeflateOptions perMessageDeflateOptions();

  /** The subprotocols offered (client) or the one negotiated (accepted, empty when none). */
  List<String> subprotocols();
}
