package dev.ixws;

import java.util.Objects;

/**
 * What an {@link WebSocketMessageType#OPEN OPEN} message reports: the URI (the request target, e.g.
 * {@code /chat?room=1}), the handshake headers of the other side, the subprotocol agreed on (empty
 * when none) and the per-message deflate parameters agreed on ({@link
 * PerMessageDeflateOptions#DISABLED} when the connection does not compress; the compression
 * threshold and levels are this end's own).
 */
public record WebSocketOpenInfo(
    String uri,
    WebSocketHttpHeaders headers,
    String protocol,
    PerMessageDeflateOptions perMessageDeflate) {

  /** The value carried by messages that are not {@code OPEN}. */
  public static final WebSocketOpenInfo NONE =
      new WebSocketOpenInfo("", WebSocketHttpHeaders.EMPTY, "");

  /** The open info of a connection without per-message deflate. */
  public WebSocketOpenInfo(String uri, WebSocketHttpHeaders headers, String protocol) {
    this(uri, headers, protocol, PerMessageDeflateOptions.DISABLED);
  }

  /** Checks that no component is null. */
  public WebSocketOpenInfo {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(perMessageDeflate, "perMessageDeflate");
  }
}
