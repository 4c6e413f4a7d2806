package dev.ixws.client.internal;

import dev.ixws.client.WebSocket;
import java.lang.invoke.MethodHandles;
import java.util.function.Function;

/**
 * How the server module creates the {@code WebSocket} of an accepted connection, which has no
 * public constructor for it (IXWebSocket hands the same class to both sides, so it cannot be a
 * subclass, and Java has no friend access across packages). {@code WebSocket} hands its private
 * constructor over from its class initializer, which the first {@link #newAccepted} call runs; the
 * JDK's own internal-access holders work the same way.
 */
public final class WebSocketAccess {

  private static volatile Function<AcceptedRole, WebSocket> factory;

  private WebSocketAccess() {}

  /** Called once, by {@code WebSocket}'s class initializer. */
  public static void setAcceptedFactory(Function<AcceptedRole, WebSocket> newAccepted) {
    factory = newAccepted;
  }

  /** A new {@code WebSocket} in the accepted {@code role}. */
  public static WebSocket newAccepted(AcceptedRole role) {
    Function<AcceptedRole, WebSocket> current = factory;
    if (current == null) {
      try {
        MethodHandles.lookup().ensureInitialized(WebSocket.class);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
      current = factory;
    }
    return current.apply(role);
  }
}
