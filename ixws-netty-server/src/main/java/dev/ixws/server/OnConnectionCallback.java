package dev.ixws.server;

import dev.ixws.client.WebSocket;

/**
 * Called once for each client whose opening handshake succeeded, before its {@code OPEN} message:
 * the place to set the connection's message callback (IX's {@code OnConnectionCallback}). Runs like
 * the connection's message callbacks: never concurrently with them, in order.
 */
@FunctionalInterface
public interface OnConnectionCallback {
  /** A client connected. */
  void onConnection(WebSocket webSocket, ConnectionState connectionState);
}
