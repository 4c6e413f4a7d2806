package dev.ixws.internal.session;

import dev.ixws.ReadyState;

/**
 * The state of one WebSocket connection, richer than {@link ReadyState}: it tracks both halves of
 * the closing handshake (RFC 6455 section 7). Changed only on the connection's event loop, by
 * {@link WebSocketSession}'s one method per event, which checks {@link #canMoveTo} first.
 *
 * <pre>
 * CONNECTING -> OPEN -> CLOSE_SENT ------> CLOSE_RECEIVED -> CLOSED
 *                  \-> CLOSE_RECEIVED                    (any state -> CLOSED)
 * </pre>
 */
public enum SessionState {
  /** The session exists but is not installed behind a completed opening handshake yet. */
  CONNECTING(ReadyState.CONNECTING),
  /** Data flows both ways. */
  OPEN(ReadyState.OPEN),
  /** We sent a close frame and wait for the peer's. */
  CLOSE_SENT(ReadyState.CLOSING),
  /** The peer sent a close frame; ours is on its way and the TCP connection closes next. */
  CLOSE_RECEIVED(ReadyState.CLOSING),
  /** The TCP connection is closed. */
  CLOSED(ReadyState.CLOSED);

  private final ReadyState readyState;

  SessionState(ReadyState readyState) {
    this.readyState = readyState;
  }

  /**
   * Whether a session may go from this state to {@code next}: forward only, and a close frame is
   * received at most once (after ours, it completes the closing handshake).
   */
  public boolean canMoveTo(SessionState next) {
    return switch (this) {
      case CONNECTING -> next == OPEN || next == CLOSED;
      case OPEN -> next == CLOSE_SENT || next == CLOSE_RECEIVED || next == CLOSED;
      case CLOSE_SENT -> next == CLOSE_RECEIVED || next == CLOSED;
      case CLOSE_RECEIVED -> next == CLOSED;
      case CLOSED -> false;
    };
  }

  /** The public state this maps to. */
  public ReadyState readyState() {
    return readyState;
  }
}
