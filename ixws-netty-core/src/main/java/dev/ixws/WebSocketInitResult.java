package dev.ixws;

import java.util.Objects;

/**
 * The result of a synchronous {@code connect(timeoutSecs)}, as IXWebSocket's {@code
 * ix::WebSocketInitResult}.
 *
 * @param success whether the handshake completed and the connection is open
 * @param httpStatus the handshake's HTTP status (101 on success), or 0 when no response came
 * @param errorStr why the connection failed; empty on success
 * @param headers the server's handshake response headers (empty when no response came)
 * @param uri the request target that was connected to
 * @param protocol the subprotocol the server accepted, empty when none
 */
public record WebSocketInitResult(
    boolean success,
    int httpStatus,
    String errorStr,
    WebSocketHttpHeaders headers,
    String uri,
    String protocol) {

  /** Checks that no reference component is null. */
  public WebSocketInitResult {
    Objects.requireNonNull(errorStr, "errorStr");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(protocol, "protocol");
  }
}
