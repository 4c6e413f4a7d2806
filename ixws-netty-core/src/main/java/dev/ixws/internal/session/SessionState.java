package dev.ixws.internal.session;

import dev.ixws.ReadyState;

/**
 * The state of one WebSocket connection, richer than {@link ReadyState}: it tracks both halves of
 * the closing handshake (RFC 6455 section 7). A session exists once the opening handshake
 * succeeded, so it starts {@code OPEN}. Changed only on the connection's event loop.
 */
public enum SessionState {
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

  /** The public state this maps to. */
  public ReadyState readyState() {
    return readyState;
  }
}
