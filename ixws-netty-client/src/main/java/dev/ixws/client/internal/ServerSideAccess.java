package dev.ixws.client.internal;

import dev.ixws.WebSocketMessage;
import dev.ixws.client.WebSocket;
import dev.ixws.internal.session.CallbackDispatcher;
import dev.ixws.internal.session.WebSocketSession;
import java.util.function.Function;

/**
 * Lets the server module create the per-connection {@link WebSocket} objects it hands out, which
 * have no public constructor (the JDK's "shared secrets" pattern: {@code WebSocket} registers the
 * factory from its static initializer).
 */
public final class ServerSideAccess {

  /** The server's view of an accepted WebSocket. */
  public interface Handle {
    /** The object handed to the application. */
    WebSocket webSocket();

    /** Binds the open session; the WebSocket's {@code getUrl()} becomes {@code target}. */
    void attach(WebSocketSession session, String target);

    /** Passes an event to the WebSocket's callback through its dispatcher. */
    void deliver(WebSocketMessage message);

    /** Runs {@code callback} through the WebSocket's dispatcher, in order with its events. */
    void dispatch(Runnable callback);
  }

  private static volatile Function<CallbackDispatcher, Handle> factory;

  private ServerSideAccess() {}

  /** Called once by {@code WebSocket}'s static initializer. */
  public static void register(Function<CallbackDispatcher, Handle> newAccepted) {
    factory = newAccepted;
  }

  /** A new server-side WebSocket whose callbacks run through {@code dispatcher}. */
  public static Handle newAccepted(CallbackDispatcher dispatcher) {
    if (factory == null) {
      try {
        // Runs WebSocket's static initializer, which registers the factory.
        Class.forName(WebSocket.class.getName(), true, WebSocket.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
    return factory.apply(dispatcher);
  }
}
