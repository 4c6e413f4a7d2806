package dev.ixws;

/**
 * The state of a WebSocket connection, as IXWebSocket's {@code ix::ReadyState}.
 *
 * <p>{@code getReadyState()} reads it without locking from any thread; it is changed only by the
 * connection's event-loop thread.
 */
public enum ReadyState {
  /** The connection is not yet open (connecting, or waiting to reconnect). */
  CONNECTING,
  /** The connection is open and ready to communicate. */
  OPEN,
  /** A close frame was sent or received and the closing handshake is in progress. */
  CLOSING,
  /** The connection is closed or could not be opened. */
  CLOSED
}
