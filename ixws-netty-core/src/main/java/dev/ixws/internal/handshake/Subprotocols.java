package dev.ixws.internal.handshake;

import java.util.Objects;

/** Checks subprotocol names, shared by client and server. */
public final class Subprotocols {

  private Subprotocols() {}

  /**
   * Returns {@code subprotocol} if it can travel in {@code Sec-WebSocket-Protocol}: a non-empty
   * token of visible ASCII without commas (RFC 6455 section 4.1, item 10).
   *
   * @throws IllegalArgumentException otherwise
   */
  public static String requireToken(String subprotocol) {
    Objects.requireNonNull(subprotocol, "subprotocol");
    if (subprotocol.isEmpty()
        || !subprotocol.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != ',')) {
      throw new IllegalArgumentException("not a valid subprotocol token: '" + subprotocol + "'");
    }
    return subprotocol;
  }
}
