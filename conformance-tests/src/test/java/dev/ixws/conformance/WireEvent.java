package dev.ixws.conformance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One thing the implementation under test did on the wire, as the raw test peer saw it: a whole
 * message (fragments joined), a ping, a pong, a close frame, the end of the TCP connection, or
 * nothing within the wait.
 *
 * @param kind what happened
 * @param binary for a message: binary rather than text
 * @param payload the message, ping or pong payload, or the close frame's body
 */
record WireEvent(Kind kind, boolean binary, byte[] payload) {

  /** The kinds of events. */
  enum Kind {
    MESSAGE,
    PING,
    PONG,
    CLOSE,
    TCP_CLOSED,
    TIMEOUT
  }

  WireEvent {
    Objects.requireNonNull(payload, "payload");
  }

  static WireEvent text(String text) {
    return new WireEvent(Kind.MESSAGE, false, text.getBytes(StandardCharsets.UTF_8));
  }

  static WireEvent text(byte[] utf8) {
    return new WireEvent(Kind.MESSAGE, false, utf8);
  }

  static WireEvent binary(byte[] payload) {
    return new WireEvent(Kind.MESSAGE, true, payload);
  }

  static WireEvent pong(byte[] payload) {
    return new WireEvent(Kind.PONG, false, payload);
  }

  static WireEvent pong(String payload) {
    return pong(payload.getBytes(StandardCharsets.UTF_8));
  }

  static WireEvent of(Kind kind) {
    return new WireEvent(kind, false, new byte[0]);
  }

  /** A data event (message, ping or pong) rather than the end of the exchange. */
  boolean isData() {
    return kind == Kind.MESSAGE || kind == Kind.PING || kind == Kind.PONG;
  }

  /** The close code of a CLOSE event, -1 when its body is empty (or 1 byte). */
  int closeCode() {
    return payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WireEvent that
        && kind == that.kind
        && binary == that.binary
        && Arrays.equals(payload, that.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, binary, Arrays.hashCode(payload));
  }

  /** Short and readable: small payloads in full, large ones by size and hash. */
  @Override
  public String toString() {
    return switch (kind) {
      case MESSAGE -> (binary ? "binary" : "text") + "(" + show(payload, !binary) + ")";
      case PING -> "ping(" + show(payload, false) + ")";
      case PONG -> "pong(" + show(payload, false) + ")";
      case CLOSE ->
          payload.length == 0
              ? "close(empty)"
              : payload.length == 1 ? "close(1 byte)" : "close(" + closeCode() + reason() + ")";
      case TCP_CLOSED -> "tcp-closed";
      case TIMEOUT -> "nothing (timeout)";
    };
  }

  private String reason() {
    return payload.length == 2
        ? ""
        : ", '"
            + new String(payload, 2, Math.min(payload.length - 2, 40), StandardCharsets.UTF_8)
            + (payload.length > 42 ? "...' " + (payload.length - 2) + " bytes" : "'");
  }

  private static String show(byte[] bytes, boolean text) {
    if (bytes.length == 0) {
      return "empty";
    }
    if (bytes.length <= 24) {
      String decoded = new String(bytes, StandardCharsets.UTF_8);
      if (text && decoded.codePoints().noneMatch(Character::isISOControl)) {
        return "'" + decoded + "'";
      }
      StringBuilder hex = new StringBuilder("0x");
      for (byte b : bytes) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    }
    return bytes.length + " bytes #" + Integer.toHexString(Arrays.hashCode(bytes));
  }
}
