package dev.ixws;

/**
 * Receives every message and event of one WebSocket connection: IXWebSocket's {@code
 * OnMessageCallback}.
 *
 * <p>Calls for one connection never overlap and arrive in order. By default they run on the
 * connection's event-loop thread, so a callback must not block; a callback executor set on the
 * WebSocket or server moves them to the application's threads (still one at a time, in order). An
 * exception thrown by the callback is logged and does not affect the connection.
 */
@FunctionalInterface
public interface OnMessageCallback {
  /** Handles one message or event. */
  void onMessage(WebSocketMessage message);
}
