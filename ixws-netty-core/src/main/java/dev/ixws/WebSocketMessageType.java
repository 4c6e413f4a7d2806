package dev.ixws;

/** What a {@link WebSocketMessage} reports, as IXWebSocket's {@code ix::WebSocketMessageType}. */
public enum WebSocketMessageType {
  /** A complete text or binary message ({@link WebSocketMessage#binary()} tells which). */
  MESSAGE,
  /** The connection opened; {@link WebSocketMessage#openInfo()} has the details. */
  OPEN,
  /** The connection closed; {@link WebSocketMessage#closeInfo()} has the code and reason. */
  CLOSE,
  /** A connection attempt or the connection failed; see {@link WebSocketMessage#errorInfo()}. */
  ERROR,
  /** A ping arrived; {@link WebSocketMessage#str()} is its payload. */
  PING,
  /** A pong arrived; {@link WebSocketMessage#str()} is its payload. */
  PONG,
  /**
   * A non-final frame of a fragmented message arrived. As in IXWebSocket, its payload is not
   * delivered here: the whole message follows as one {@link #MESSAGE} once its last frame arrives.
   */
  FRAGMENT
}
