package dev.ixws;

import dev.ixws.internal.codec.MessagePayloads;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One message or event of a WebSocket connection, as IXWebSocket's {@code ix::WebSocketMessage}.
 *
 * <p>{@link #type()} says what it is. For {@link WebSocketMessageType#MESSAGE MESSAGE}, {@link
 * #binary()} tells a binary message from a text one, {@link #str()} is the payload as a string and
 * {@link #data()} as bytes. The details of the other events are in {@link #openInfo()}, {@link
 * #closeInfo()} and {@link #errorInfo()}; each returns its {@code NONE} constant on a message of
 * another type, never null.
 *
 * <p>{@code str()} of a binary message maps each byte to one char (ISO-8859-1), so it holds the
 * exact bytes, as IXWebSocket's {@code std::string} does: {@code webSocket.send(msg.str(),
 * msg.binary())} echoes any message unchanged. Immutable and thread-safe.
 */
public final class WebSocketMessage {

  private static final byte[] NO_BYTES = new byte[0];

  static {
    // The session sends a received message on from its array, without a copy or a view.
    MessagePayloads.setAccess(message -> message.payload);
  }

  private final WebSocketMessageType type;
  private final byte[] payload;
  private final boolean binary;
  private final long wireSize;
  // The OPEN, CLOSE or ERROR details, or null for messages: one field rather than three keeps the
  // object at 40 bytes instead of 48, and one is made per message received.
  private final Object details;
  // Decoded on first use; a race only decodes twice.
  private String str;

  private WebSocketMessage(
      WebSocketMessageType type, byte[] payload, boolean binary, long wireSize, Object details) {
    this.type = type;
    this.payload = payload;
    this.binary = binary;
    this.wireSize = wireSize;
    this.details = details;
  }

  /**
   * A complete text or binary message. The array is not copied (as {@link ByteBuffer#wrap}): it
   * must not be changed afterwards.
   */
  public static WebSocketMessage message(byte[] payload, boolean binary, long wireSize) {
    return data(WebSocketMessageType.MESSAGE, payload, binary, wireSize);
  }

  /** A text message; {@code wireSize} counts the payload's UTF-8 bytes. */
  public static WebSocketMessage text(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    WebSocketMessage message = message(bytes, false, bytes.length);
    message.str = text;
    return message;
  }

  /** A ping with its payload (not copied). */
  public static WebSocketMessage ping(byte[] payload) {
    return data(WebSocketMessageType.PING, payload, false, payload.length);
  }

  /** A pong with its payload (not copied). */
  public static WebSocketMessage pong(byte[] payload) {
    return data(WebSocketMessageType.PONG, payload, false, payload.length);
  }

  /** A non-final fragment of a message that is still being received. */
  public static WebSocketMessage fragment(boolean binary, long wireSize) {
    return data(WebSocketMessageType.FRAGMENT, NO_BYTES, binary, wireSize);
  }

  /** The connection opened. */
  public static WebSocketMessage open(WebSocketOpenInfo openInfo) {
    return new WebSocketMessage(
        WebSocketMessageType.OPEN,
        NO_BYTES,
        false,
        0,
        Objects.requireNonNull(openInfo, "openInfo"));
  }

  /** The connection closed. */
  public static WebSocketMessage close(WebSocketCloseInfo closeInfo) {
    return new WebSocketMessage(
        WebSocketMessageType.CLOSE,
        NO_BYTES,
        false,
        0,
        Objects.requireNonNull(closeInfo, "closeInfo"));
  }

  /** A connection attempt or the connection failed. */
  public static WebSocketMessage error(WebSocketErrorInfo errorInfo) {
    return new WebSocketMessage(
        WebSocketMessageType.ERROR,
        NO_BYTES,
        false,
        0,
        Objects.requireNonNull(errorInfo, "errorInfo"));
  }

  private static WebSocketMessage data(
      WebSocketMessageType type, byte[] payload, boolean binary, long wireSize) {
    return new WebSocketMessage(
        type, Objects.requireNonNull(payload, "payload"), binary, wireSize, null);
  }

  /** What this message reports. */
  public WebSocketMessageType type() {
    return type;
  }

  /**
   * The payload as a string: UTF-8 text for text messages, pings and pongs; one char per byte
   * (ISO-8859-1) for binary messages; empty for events.
   */
  public String str() {
    String s = str;
    if (s == null) {
      s = new String(payload, binary ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
      str = s;
    }
    return s;
  }

  /** The payload bytes, read-only and not copied; empty for events. */
  public ByteBuffer data() {
    return ByteBuffer.wrap(payload).asReadOnlyBuffer();
  }

  /** A copy of the payload bytes; empty for events. */
  public byte[] bytes() {
    return payload.clone();
  }

  /** Whether a {@code MESSAGE} (or {@code FRAGMENT}) is binary rather than text. */
  public boolean binary() {
    return binary;
  }

  /** The payload size in bytes. */
  public int size() {
    return payload.length;
  }

  /** The bytes the message took on the wire, frame headers included (payload size for events). */
  public long wireSize() {
    return wireSize;
  }

  /** The details of an {@code OPEN}; {@link WebSocketOpenInfo#NONE} otherwise. */
  public WebSocketOpenInfo openInfo() {
    return details instanceof WebSocketOpenInfo info ? info : WebSocketOpenInfo.NONE;
  }

  /** The details of a {@code CLOSE}; {@link WebSocketCloseInfo#NONE} otherwise. */
  public WebSocketCloseInfo closeInfo() {
    return details instanceof WebSocketCloseInfo info ? info : WebSocketCloseInfo.NONE;
  }

  /** The details of an {@code ERROR}; {@link WebSocketErrorInfo#NONE} otherwise. */
  public WebSocketErrorInfo errorInfo() {
    return details instanceof WebSocketErrorInfo info ? info : WebSocketErrorInfo.NONE;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WebSocketMessage that
        && type == that.type
        && binary == that.binary
        && wireSize == that.wireSize
        && Arrays.equals(payload, that.payload)
        && openInfo().equals(that.openInfo())
        && closeInfo().equals(that.closeInfo())
        && errorInfo().equals(that.errorInfo());
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        type, binary, Arrays.hashCode(payload), openInfo(), closeInfo(), errorInfo());
  }

  @Override
  public String toString() {
    return switch (type) {
      case MESSAGE, FRAGMENT, PING, PONG ->
          type + (binary ? " binary " : " text ") + payload.length + " bytes";
      case OPEN -> "OPEN " + openInfo();
      case CLOSE -> "CLOSE " + closeInfo();
      case ERROR -> "ERROR " + errorInfo();
    };
  }
}
