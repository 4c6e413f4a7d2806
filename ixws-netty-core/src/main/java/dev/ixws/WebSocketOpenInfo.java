package dev.ixws;

import java.util.Objects;

/**
 * What an {@link WebSocketMessageType#OPEN OPEN} message reports: the URI (the request target, e.g.
 * {@code /chat?room=1}), the handshake headers of the other side, and the subprotocol agreed on
 * (empty when none).
 */
public record WebSocketOpenInfo(String uri, WebSocketHttpHeaders headers, String protocol) {

  /** The value carried by messages that are not {@code OPEN}. */
  public static final WebSocketOpenInfo NONE =
      new WebSocketOpenInfo("", WebSocketHttpHeaders.EMPTY, "");

  /** Checks that no component is null. */
  public WebSocketOpenInfo {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(protocol, "protocol");
  }
}
