package dev.ixws.server;

import dev.ixws.WebSocketMessage;
import dev.ixws.client.WebSocket;

/**
 * Receives every message and event of every client, with the connection it belongs to (IX's {@code
 * OnClientMessageCallback}): the alternative to setting a callback per connection. Calls for one
 * connection never overlap and arrive in order; calls for different connections may run at the same
 * time on different threads.
 */
@FunctionalInterface
public interface OnClientMessageCallback {
  /** Handles one message or event of one client. */
  void onClientMessage(
      ConnectionState connectionState, WebSocket webSocket, WebSocketMessage message);
}
