package dev.ixws;

import java.util.Objects;

/**
 * The result of a {@code send}, {@code sendText}, {@code sendBinary} or {@code ping} call, as
 * IXWebSocket's {@code ix::WebSocketSendInfo}.
 *
 * <p>{@code success} is true when the connection was open and the frame was handed to the
 * connection's write queue; it does not mean the peer received it. It is false, with a readable
 * {@code error}, when the connection was not open or the message was refused (for example a ping
 * payload over 125 bytes); nothing is queued then.
 *
 * @param success whether the frame was queued for writing
 * @param compressionError whether per-message deflate failed to compress the payload
 * @param payloadSize the payload size in bytes
 * @param wireSize the frame size on the wire in bytes, header included (0 when not sent)
 * @param error why the send failed; empty on success
 */
public record WebSocketSendInfo(
    boolean success, boolean compressionError, long payloadSize, long wireSize, String error) {

  /** Checks that the error is not null. */
  public WebSocketSendInfo {
    Objects.requireNonNull(error, "error");
  }

  /** A successful send of {@code payloadSize} bytes taking {@code wireSize} bytes on the wire. */
  public static WebSocketSendInfo sent(long payloadSize, long wireSize) {
    return new WebSocketSendInfo(true, false, payloadSize, wireSize, "");
  }

  /** A refused send; nothing was queued. */
  public static WebSocketSendInfo failed(long payloadSize, String error) {
    return new WebSocketSendInfo(false, false, payloadSize, 0, error);
  }
}
