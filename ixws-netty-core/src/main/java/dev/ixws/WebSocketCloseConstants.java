package dev.ixws;

/**
 * Close codes and reasons the library uses, as IXWebSocket's {@code ix::WebSocketCloseConstants}
 * ({@code kNormalClosureCode} becomes {@code NORMAL_CLOSURE_CODE}).
 */
public final class WebSocketCloseConstants {
  /** 1000: the purpose of the connection was fulfilled. */
  public static final int NORMAL_CLOSURE_CODE = 1000;

  /** 1001: the endpoint is going away (a server shutting down). */
  public static final int GOING_AWAY_CODE = 1001;

  /** 1002: the peer broke the protocol. */
  public static final int PROTOCOL_ERROR_CODE = 1002;

  /** 1005: the close frame had no status code (never sent on the wire). */
  public static final int NO_STATUS_CODE_ERROR_CODE = 1005;

  /** 1006: the connection ended without a close frame (never sent on the wire). */
  public static final int ABNORMAL_CLOSE_CODE = 1006;

  /** 1007: a text message was not valid UTF-8. */
  public static final int INVALID_FRAME_PAYLOAD_DATA_CODE = 1007;

  /** 1009: a message was larger than the configured maximum. */
  public static final int MESSAGE_TOO_BIG_CODE = 1009;

  /** 1011: an internal error, or (heartbeat) the peer stopped answering pings. */
  public static final int INTERNAL_ERROR_CODE = 1011;

  /** Reason sent with 1000. */
  public static final String NORMAL_CLOSURE_MESSAGE = "Normal closure";

  /** Reason sent with 1001. */
  public static final String GOING_AWAY_MESSAGE = "Going away";

  /** Reason reported with 1011. */
  public static final String INTERNAL_ERROR_MESSAGE = "Internal error";

  /** Reason reported with 1006. */
  public static final String ABNORMAL_CLOSE_MESSAGE = "Abnormal closure";

  /** Reason sent with 1011 when the heartbeat found the peer silent. */
  public static final String PING_TIMEOUT_MESSAGE = "Ping timeout";

  /** Reason reported with 1005. */
  public static final String NO_STATUS_CODE_ERROR_MESSAGE = "No status code";

  private WebSocketCloseConstants() {}

  /**
   * Whether {@code code} may be sent in a close frame (RFC 6455 section 7.4): 1000-1003, 1007-1014,
   * or 3000-4999. 1004, 1005, 1006 and 1015 are reserved and never sent.
   */
  public static boolean isValidCloseCode(int code) {
    return (code >= 1000 && code <= 1003)
        || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
  }
}
