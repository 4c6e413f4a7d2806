package dev.ixws;

import java.util.Objects;

/**
 * What a {@link WebSocketMessageType#CLOSE CLOSE} message reports: the close code and reason, and
 * whether the other side started the close ({@code remote}).
 *
 * <p>When the connection ended without a close frame the code is 1006 ("Abnormal closure"); when
 * the peer's close frame had no code it is 1005 ("No status code"), as in IXWebSocket.
 */
public record WebSocketCloseInfo(int code, String reason, boolean remote) {

  /** The value carried by messages that are not {@code CLOSE}. */
  public static final WebSocketCloseInfo NONE = new WebSocketCloseInfo(0, "", false);

  /** Checks that the reason is not null. */
  public WebSocketCloseInfo {
    Objects.requireNonNull(reason, "reason");
  }
}
