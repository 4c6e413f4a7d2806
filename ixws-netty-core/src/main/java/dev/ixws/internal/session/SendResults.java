package dev.ixws.internal.session;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.internal.codec.Frames;

/**
 * The results of sends, for the session and the client alike. Successful sends of small payloads
 * share one immutable result per size instead of allocating one per message (it showed up in
 * allocation profiles of small-message echo).
 */
public final class SendResults {

  /** Payloads below this size get a shared result. */
  private static final int CACHED_SIZES = 1024;

  private static final WebSocketSendInfo[] MASKED = build(true);
  private static final WebSocketSendInfo[] UNMASKED = build(false);

  private SendResults() {}

  /** The result of a send refused because the connection is not open; nothing was queued. */
  public static WebSocketSendInfo notOpen(long payloadSize, ReadyState state) {
    return WebSocketSendInfo.failed(
        payloadSize, "the connection is not open (ready state " + state + ")");
  }

  /** The result of a successful send of {@code payloadSize} bytes, masked or not. */
  static WebSocketSendInfo sent(long payloadSize, boolean masked) {
    if (payloadSize < CACHED_SIZES) {
      return (masked ? MASKED : UNMASKED)[(int) payloadSize];
    }
    return WebSocketSendInfo.sent(payloadSize, Frames.wireSize(payloadSize, masked));
  }

  private static WebSocketSendInfo[] build(boolean masked) {
    WebSocketSendInfo[] results = new WebSocketSendInfo[CACHED_SIZES];
    for (int size = 0; size < CACHED_SIZES; size++) {
      results[size] = WebSocketSendInfo.sent(size, Frames.wireSize(size, masked));
    }
    return results;
  }
}
