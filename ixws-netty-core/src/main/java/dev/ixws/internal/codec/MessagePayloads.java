package dev.ixws.internal.codec;

import dev.ixws.WebSocketMessage;
import java.lang.invoke.MethodHandles;
import java.util.function.Function;

/**
 * How the session reaches a {@link WebSocketMessage}'s payload array without the copy or the
 * read-only view that the public {@code data()} and {@code bytes()} make: sending a received
 * message on (echo, relay) then costs no object beyond the frame's buffer. {@code WebSocketMessage}
 * hands its accessor over from its class initializer, as {@code WebSocketAccess} does for {@code
 * WebSocket}. The array is never written through this: messages stay immutable.
 */
public final class MessagePayloads {

  private static volatile Function<WebSocketMessage, byte[]> access;

  private MessagePayloads() {}

  /** Called once, by {@code WebSocketMessage}'s class initializer. */
  public static void setAccess(Function<WebSocketMessage, byte[]> payloadOf) {
    access = payloadOf;
  }

  /** The payload array of {@code message}, not copied: never to be written. */
  public static byte[] payload(WebSocketMessage message) {
    Function<WebSocketMessage, byte[]> current = access;
    if (current == null) {
      try {
        MethodHandles.lookup().ensureInitialized(WebSocketMessage.class);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
      current = access;
    }
    return current.apply(message);
  }
}
