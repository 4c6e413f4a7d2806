package dev.ixws;

import java.util.Objects;

/**
 * What an {@link WebSocketMessageType#ERROR ERROR} message reports, as IXWebSocket's {@code
 * ix::WebSocketErrorInfo}.
 *
 * @param retries how many connection attempts have failed in a row (1 for the first failure)
 * @param waitTime milliseconds before the next attempt (0 when no attempt will follow)
 * @param httpStatus the handshake's HTTP status when the server answered with one (e.g. 301, 503),
 *     otherwise 0
 * @param reason a readable description, e.g. {@code "Got bad status connecting to 127.0.0.1:8008,
 *     status: 301, HTTP Status line: HTTP/1.1 301 Moved Permanently"}
 * @param decompressionError whether a per-message-deflate payload could not be inflated
 */
public record WebSocketErrorInfo(
    int retries, long waitTime, int httpStatus, String reason, boolean decompressionError) {

  /** The value carried by messages that are not {@code ERROR}. */
  public static final WebSocketErrorInfo NONE = new WebSocketErrorInfo(0, 0, 0, "", false);

  /** Checks that the reason is not null. */
  public WebSocketErrorInfo {
    Objects.requireNonNull(reason, "reason");
  }
}
