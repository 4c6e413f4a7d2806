package dev.ixws.server.internal;

import dev.ixws.internal.codec.ReceiveBudget;
import io.netty.channel.ChannelHandler;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * WebSocket upgrades taken over from another server's connection (the HTTP server's, on the same
 * port): the handshake checks, session engine and callbacks of a {@code WebSocketServer} that binds
 * no port of its own. {@code WebSocketServer} registers how to {@link #prepare} one; the HTTP
 * module calls it once at its {@code listen()} and then {@link #newHandshakeHandler()} for each
 * upgrade request. Thread-safe.
 */
public final class EmbeddedUpgrades {

  private static volatile Function<Object, EmbeddedUpgrades> preparer;

  private final ServerSpec spec;
  private final ReceiveBudget budget;
  private final ConnectionListener listener;
  private final AtomicInteger admitted = new AtomicInteger();

  /** The snapshot of a server's settings and where its accepted clients go. */
  public EmbeddedUpgrades(ServerSpec spec, ConnectionListener listener) {
    this.spec = spec;
    this.budget = new ReceiveBudget("server", spec.maxPendingReceiveBytes());
    this.listener = listener;
  }

  /** Called once by {@code WebSocketServer}. */
  public static void register(Function<Object, EmbeddedUpgrades> prepare) {
    preparer = prepare;
  }

  /**
   * Takes the settings of {@code webSocketServer} (a {@code WebSocketServer} on which {@code
   * listen()} is never called) as its {@code listen()} would.
   *
   * @throws IllegalStateException when that server was already listened on or stopped
   */
  public static EmbeddedUpgrades prepare(Object webSocketServer) {
    Function<Object, EmbeddedUpgrades> prepare = preparer;
    if (prepare == null) {
      try {
        Class.forName(
            "dev.ixws.server.WebSocketServer", true, EmbeddedUpgrades.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      prepare = preparer;
    }
    return prepare.apply(webSocketServer);
  }

  /**
   * A handshake handler for a connection that is already active, to be placed right after the HTTP
   * request decoder named {@code "http-decoder"} (with no response encoder in the pipeline) and fed
   * the upgrade request; it admits the client at once (the HTTP server counted it) and starts the
   * handshake timeout.
   */
  public ChannelHandler newHandshakeHandler() {
    return new ServerHandshakeHandler(spec, admitted, budget, listener, true);
  }
}
