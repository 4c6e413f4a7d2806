package dev.ixws.examples;

import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The guide's "Subprotocols": the client offers subprotocols in the handshake and the one the
 * server accepted is in {@code msg.openInfo().protocol()} (empty when none).
 *
 * <p>An ixws-netty server accepts a subprotocol only if it declared it with {@code
 * WebSocketServer.addSubprotocol} (not in IXWebSocket): the first offered one it supports wins.
 */
public final class SubprotocolsExample {

  private static final long TIMEOUT_SECS = 10;

  private SubprotocolsExample() {}

  /** Runs the example against {@code args[0]} (default {@code ws://localhost:8080/}). */
  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? args[0] : "ws://localhost:8080/", System.out::println);
  }

  /**
   * Connects to {@code url} offering {@code appProtocol-v1} and {@code appProtocol-v2}, then stops.
   *
   * @return the subprotocol the server accepted, empty when none
   */
  public static String run(String url, Consumer<String> out) throws Exception {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl(url);

    webSocket.addSubprotocol("appProtocol-v1");
    webSocket.addSubprotocol("appProtocol-v2");

    CompletableFuture<String> opened = new CompletableFuture<>();
    webSocket.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.OPEN) {
            out.accept("protocol: " + msg.openInfo().protocol());
            opened.complete(msg.openInfo().protocol());
          } else if (msg.type() == WebSocketMessageType.ERROR) {
            opened.completeExceptionally(new IllegalStateException(msg.errorInfo().reason()));
          }
        });
    webSocket.start();
    try {
      return opened.get(TIMEOUT_SECS, TimeUnit.SECONDS);
    } finally {
      webSocket.stop();
    }
  }
}
