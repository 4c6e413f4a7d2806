package dev.ixws.server.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.ListenResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.server.OnConnectionCallback;
import dev.ixws.server.WebSocketServer;
import java.util.function.Consumer;

/**
 * Our {@link WebSocketServer} as a test fixture: on a loopback port (0: a free one), listening and
 * started, so that a test needs one line to get a server. Shared with the other modules' tests
 * through this module's test-jar (in a package of its own: the test classes in {@code
 * dev.ixws.server} would split that package for a module that reads {@code dev.ixws.server}). The
 * caller stops the server ({@link WebSocketServer#stop()}).
 *
 * <p>{@code TestServers.echo().start()} is an echo server; {@code echo(events::accept)} also hands
 * every event of every connection to a recorder; {@code serving(callback)} is a server with any
 * connection callback. The builder's other options are the server's constructor arguments and its
 * subprotocols.
 */
public final class TestServers {

  private TestServers() {}

  /** Listens (failing the test if that does not work), starts, and returns {@code server}. */
  public static WebSocketServer started(WebSocketServer server) {
    ListenResult result = server.listen();
    assertTrue(result.ok(), result.errorMessage());
    server.start();
    return server;
  }

  /** What a test server does with one event of one of its connections. */
  @FunctionalInterface
  public interface Handler {
    /** {@code msg} arrived on {@code webSocket}; runs on its event loop, so it must not block. */
    void onMessage(WebSocket webSocket, WebSocketMessage msg);
  }

  /**
   * A connection callback whose connections hand each event to {@code recorder} and then to {@code
   * handler}.
   */
  public static OnConnectionCallback recording(
      Consumer<WebSocketMessage> recorder, Handler handler) {
    return (webSocket, state) ->
        webSocket.setOnMessageCallback(
            msg -> {
              recorder.accept(msg);
              handler.onMessage(webSocket, msg);
            });
  }

  /**
   * A connection callback whose connections hand each event to {@code recorder} and then echo each
   * text or binary message back as it came.
   */
  public static OnConnectionCallback echoing(Consumer<WebSocketMessage> recorder) {
    return recording(
        recorder,
        (webSocket, msg) -> {
          if (msg.type() == WebSocketMessageType.MESSAGE) {
            webSocket.send(msg.str(), msg.binary());
          }
        });
  }

  /**
   * A connection callback whose connections hand each event to {@code recorder} and that the server
   * closes with {@code code} and {@code reason} as soon as they open.
   */
  public static OnConnectionCallback closingOnOpen(
      Consumer<WebSocketMessage> recorder, int code, String reason) {
    return recording(
        recorder,
        (webSocket, msg) -> {
          if (msg.type() == WebSocketMessageType.OPEN) {
            webSocket.close(code, reason);
          }
        });
  }

  /** An echo server: each text or binary message goes back as it came. */
  public static Builder echo() {
    return serving(echoing(msg -> {}));
  }

  /** An echo server that first hands every event of every connection to {@code recorder}. */
  public static Builder echo(Consumer<WebSocketMessage> recorder) {
    return serving(echoing(recorder));
  }

  /** A server whose connection callback is {@code callback}. */
  public static Builder serving(OnConnectionCallback callback) {
    return new Builder(callback);
  }

  /** The options of one test server; {@link #start()} makes it. */
  public static final class Builder {
    private final OnConnectionCallback callback;
    private int port;
    private int maxConnections = WebSocketServer.DEFAULT_MAX_CONNECTIONS;
    private int handshakeTimeoutSecs = WebSocketServer.DEFAULT_HANDSHAKE_TIMEOUT_SECS;
    private String[] subprotocols = {};

    private Builder(OnConnectionCallback callback) {
      this.callback = callback;
    }

    /** The port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The server's connection limit. */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
      return this;
    }

    /** How long a client may take over its opening handshake. */
    public Builder handshakeTimeoutSecs(int handshakeTimeoutSecs) {
      this.handshakeTimeoutSecs = handshakeTimeoutSecs;
      return this;
    }

    /** The subprotocols the server supports, in its order of preference. */
    public Builder subprotocols(String... subprotocols) {
      this.subprotocols = subprotocols.clone();
      return this;
    }

    /** A new server on 127.0.0.1 with these options, listening and started. */
    public WebSocketServer start() {
      WebSocketServer server =
          new WebSocketServer(
              port,
              WebSocketServer.DEFAULT_HOST,
              WebSocketServer.DEFAULT_TCP_BACKLOG,
              maxConnections,
              handshakeTimeoutSecs);
      for (String subprotocol : subprotocols) {
        server.addSubprotocol(subprotocol);
      }
      server.setOnConnectionCallback(callback);
      return started(server);
    }
  }
}
