package dev.ixws.examples;

import dev.ixws.WebSocketMessage;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.EventRecorder;

/**
 * The server the client examples run against, on a free port of 127.0.0.1. It echoes every message,
 * supports the subprotocol {@code appProtocol-v2}, records each connection's {@code OPEN} as the
 * server saw it, and acts on the request path: {@code /bye} is closed by the server with 4000
 * "Server says bye" as soon as it opens, {@code /ping} is pinged with "server ping".
 */
final class ExampleServer implements AutoCloseable {

  static final String SUBPROTOCOL = "appProtocol-v2";
  static final int BYE_CODE = 4000;
  static final String BYE_REASON = "Server says bye";
  static final String SERVER_PING = "server ping";

  private final WebSocketServer server;
  private final EventRecorder<WebSocketMessage> opens = new EventRecorder<>();

  ExampleServer() {
    server =
        TestServers.serving(
                (webSocket, connectionState) ->
                    webSocket.setOnMessageCallback(
                        msg -> {
                          switch (msg.type()) {
                            case OPEN -> {
                              opens.accept(msg);
                              switch (msg.openInfo().uri()) {
                                case "/bye" -> webSocket.close(BYE_CODE, BYE_REASON);
                                case "/ping" -> webSocket.ping(SERVER_PING);
                                default -> {}
                              }
                            }
                            case MESSAGE -> webSocket.send(msg.str(), msg.binary());
                            default -> {}
                          }
                        }))
            .subprotocols(SUBPROTOCOL)
            .start();
  }

  /** {@code ws://127.0.0.1:<port><path>}. */
  String url(String path) {
    return "ws://127.0.0.1:" + server.getPort() + path;
  }

  /** The {@code OPEN} messages of the server side, one per accepted connection. */
  EventRecorder<WebSocketMessage> opens() {
    return opens;
  }

  @Override
  public void close() {
    server.stop();
  }
}
