package dev.ixws.client.internal;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.internal.codec.Frames;
import dev.ixws.internal.session.WebSocketSession;
import java.nio.ByteBuffer;

/**
 * A message the application sends: text, binary bytes, or a binary string (one byte per char).
 * Holds the caller's objects until {@link #detached()} copies them for the send queue.
 */
public record OutgoingMessage(Kind kind, String text, ByteBuffer bytes, WebSocketMessage message) {

  /** The three ways a message is given. */
  public enum Kind {
    TEXT,
    BINARY,
    BINARY_STRING,
    /** A received message, sent on in its own mode. */
    RECEIVED
  }

  /** A text message. */
  public static OutgoingMessage text(String text) {
    return new OutgoingMessage(Kind.TEXT, text, null, null);
  }

  /** A binary message from the remaining bytes of {@code bytes}. */
  public static OutgoingMessage binary(ByteBuffer bytes) {
    return new OutgoingMessage(Kind.BINARY, null, bytes, null);
  }

  /** A binary message whose bytes are the chars of {@code bytes} (ISO-8859-1). */
  public static OutgoingMessage binaryString(String bytes) {
    return new OutgoingMessage(Kind.BINARY_STRING, bytes, null, null);
  }

  /** A received {@code MESSAGE}, to send on as it arrived. */
  public static OutgoingMessage received(WebSocketMessage message) {
    return new OutgoingMessage(Kind.RECEIVED, null, null, message);
  }

  /** Sends it on {@code session}. */
  public WebSocketSendInfo sendTo(WebSocketSession session) {
    return switch (kind) {
      case TEXT -> session.sendText(text);
      case BINARY -> session.sendBinary(bytes);
      case BINARY_STRING -> session.sendBinary(text);
      case RECEIVED -> session.sendMessage(message);
    };
  }

  /** Its size as the application sees it: chars for strings, bytes for buffers. */
  public long size() {
    return switch (kind) {
      case BINARY -> bytes.remaining();
      case RECEIVED -> message.size();
      default -> text.length();
    };
  }

  /**
   * A copy that no longer shares the caller's buffer, checked now so that a bad message fails on
   * the caller's thread rather than when the queue is flushed.
   *
   * @throws IllegalArgumentException if a binary string has a char above U+00FF
   */
  public OutgoingMessage detached() {
    if (kind == Kind.BINARY_STRING) {
      Frames.requireLatin1(text);
    }
    if (kind != Kind.BINARY) {
      return this;
    }
    ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
    copy.put(bytes.duplicate()).flip();
    return new OutgoingMessage(kind, null, copy.asReadOnlyBuffer(), null);
  }
}
