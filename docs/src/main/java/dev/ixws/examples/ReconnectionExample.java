package dev.ixws.examples;

import dev.ixws.WebSocketCloseInfo;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The guide's "Automatic reconnection", which is not implemented yet: each call is a comment.
 *
 * <p>Until it is, a connection that the server closes stays closed, and an application that wants
 * to reconnect calls {@code start()} again itself, which the second half of this example does once
 * (without IX's backoff of 100, 200, 400... ms capped at 10 s).
 */
public final class ReconnectionExample {

  private static final long TIMEOUT_SECS = 10;

  /**
   * What the example observed.
   *
   * @param closes the close of each connection, in order: the server closed the first, the
   *     application's {@code start()} opened the second
   * @param opens how many times the connection opened
   */
  public record Result(List<WebSocketCloseInfo> closes, int opens) {}

  private ReconnectionExample() {}

  /** Runs the example against {@code args[0]} (default {@code ws://localhost:8080/}). */
  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? args[0] : "ws://localhost:8080/", System.out::println);
  }

  /**
   * Connects to {@code url}; when the server closes the connection, starts it once more; stops
   * after the second connection opened and closed (or after the second open, if the server keeps
   * it).
   */
  public static Result run(String url, Consumer<String> out) throws Exception {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl(url);

    // webSocket.enableAutomaticReconnection(); -> not yet: comes with "heartbeat & reconnection"
    // webSocket.disableAutomaticReconnection(); -> not yet: comes with "heartbeat & reconnection"
    // bool enabled = webSocket.isAutomaticReconnectionEnabled(); -> "heartbeat & reconnection"
    // webSocket.setMaxWaitBetweenReconnectionRetries(5 * 1000); -> "heartbeat & reconnection"
    // uint32_t m = webSocket.getMaxWaitBetweenReconnectionRetries(); -> "heartbeat & reconnection"

    List<WebSocketCloseInfo> closes = new CopyOnWriteArrayList<>();
    List<Boolean> opens = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> secondOpen = new CompletableFuture<>();
    webSocket.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.OPEN) {
            opens.add(true);
            out.accept("connected (" + opens.size() + ")");
            if (opens.size() == 2) {
              secondOpen.complete(null);
            }
          } else if (msg.type() == WebSocketMessageType.CLOSE) {
            closes.add(msg.closeInfo());
            out.accept("disconnected: " + msg.closeInfo().code() + " " + msg.closeInfo().reason());
            if (msg.closeInfo().remote() && opens.size() == 1) {
              // Manual reconnection: start() may be called from a callback; it does not block.
              webSocket.start();
            }
          } else if (msg.type() == WebSocketMessageType.ERROR) {
            secondOpen.completeExceptionally(new IllegalStateException(msg.errorInfo().reason()));
          }
        });
    webSocket.start();
    try {
      secondOpen.get(TIMEOUT_SECS, TimeUnit.SECONDS);
    } finally {
      webSocket.stop();
    }
    return new Result(List.copyOf(closes), opens.size());
  }
}
