package dev.ixws.testkit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One RFC 6455 frame as raw fields, with no validation at all, so a test can build frames that
 * break the protocol on purpose (reserved bits, reserved opcodes, fragmented control frames...).
 *
 * @param fin the FIN bit
 * @param rsv the three reserved bits as a number 0-7 (RSV1 is 4)
 * @param opcode the 4-bit opcode
 * @param masked whether the frame is (to be) sent with a masking key (RFC 6455 section 5.3)
 * @param payload the unmasked payload
 */
public record WsFrame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {

  /** Continuation frame opcode. */
  public static final int OP_CONTINUATION = 0x0;

  /** Text frame opcode. */
  public static final int OP_TEXT = 0x1;

  /** Binary frame opcode. */
  public static final int OP_BINARY = 0x2;

  /** Close frame opcode. */
  public static final int OP_CLOSE = 0x8;

  /** Ping frame opcode. */
  public static final int OP_PING = 0x9;

  /** Pong frame opcode. */
  public static final int OP_PONG = 0xA;

  /** Checks the field ranges the wire format can carry. */
  public WsFrame {
    Objects.requireNonNull(payload, "payload");
    if (rsv < 0 || rsv > 7 || opcode < 0 || opcode > 15) {
      throw new IllegalArgumentException("rsv or opcode out of range: " + rsv + ", " + opcode);
    }
  }

  /** A final text frame with {@code text} as UTF-8. */
  public static WsFrame text(String text, boolean masked) {
    return new WsFrame(true, 0, OP_TEXT, masked, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A final binary frame. */
  public static WsFrame binary(byte[] payload, boolean masked) {
    return new WsFrame(true, 0, OP_BINARY, masked, payload);
  }

  /** A frame with the given FIN bit and opcode and no reserved bits. */
  public static WsFrame of(boolean fin, int opcode, byte[] payload, boolean masked) {
    return new WsFrame(fin, 0, opcode, masked, payload);
  }

  /** A ping. */
  public static WsFrame ping(byte[] payload, boolean masked) {
    return new WsFrame(true, 0, OP_PING, masked, payload);
  }

  /** A close frame with {@code code} (two bytes, any value 0-65535) and a UTF-8 reason. */
  public static WsFrame close(int code, String reason, boolean masked) {
    return close(code, reason.getBytes(StandardCharsets.UTF_8), masked);
  }

  /** A close frame with {@code code} and raw reason bytes (possibly invalid UTF-8). */
  public static WsFrame close(int code, byte[] reason, boolean masked) {
    ByteBuffer body = ByteBuffer.allocate(2 + reason.length);
    body.putShort((short) code).put(reason);
    return new WsFrame(true, 0, OP_CLOSE, masked, body.array());
  }

  /** A close frame with an empty body (no status code). */
  public static WsFrame emptyClose(boolean masked) {
    return new WsFrame(true, 0, OP_CLOSE, masked, new byte[0]);
  }

  /** Whether this is a close frame. */
  public boolean isClose() {
    return opcode == OP_CLOSE;
  }

  /** The status code of a close frame, or -1 when its body is shorter than two bytes. */
  public int closeCode() {
    if (payload.length < 2) {
      return -1;
    }
    return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
  }

  /** The reason of a close frame, decoded as UTF-8 (empty when absent). */
  public String closeReason() {
    if (payload.length <= 2) {
      return "";
    }
    return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
  }

  /** The payload decoded as UTF-8. */
  public String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WsFrame that
        && fin == that.fin
        && rsv == that.rsv
        && opcode == that.opcode
        && masked == that.masked
        && Arrays.equals(payload, that.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fin, rsv, opcode, masked, Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    String body =
        isClose()
            ? "code=" + closeCode() + " reason='" + closeReason() + "'"
            : payload.length + " bytes";
    return "WsFrame[fin="
        + fin
        + ", rsv="
        + rsv
        + ", opcode=0x"
        + Integer.toHexString(opcode)
        + ", masked="
        + masked
        + ", "
        + body
        + "]";
  }
}
