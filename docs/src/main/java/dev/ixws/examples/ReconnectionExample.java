package dev.ixws.examples;

import dev.ixws.WebSocketCloseInfo;
import dev.ixws.WebSocketErrorInfo;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The guide's "Automatic reconnection": the switches, the cap on the wait, a connection that the
 * server closes and that comes back by itself, and the backoff schedule printed as {@code ws
 * connect} prints it.
 */
public final class ReconnectionExample {

  private static final long TIMEOUT_SECS = 10;

  /**
   * What the example observed.
   *
   * @param enabledAfterDisable what {@code isAutomaticReconnectionEnabled()} said after {@code
   *     disableAutomaticReconnection()}
   * @param maxWait what {@code getMaxWaitBetweenReconnectionRetries()} returned
   * @param closes the close of each connection, in order (the server closed the first)
   * @param opens how many times the connection opened
   */
  public record Result(
      boolean enabledAfterDisable, int maxWait, List<WebSocketCloseInfo> closes, int opens) {}

  private ReconnectionExample() {}

  /** Runs the example against {@code args[0]} (default {@code ws://localhost:8080/}). */
  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? args[0] : "ws://localhost:8080/", System.out::println);
  }

  /**
   * Connects to {@code url}; when the server closes the connection, automatic reconnection opens it
   * again; stops after the second open.
   */
  public static Result run(String url, Consumer<String> out) throws Exception {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl(url);

    webSocket.enableAutomaticReconnection(); // turn on
    webSocket.disableAutomaticReconnection(); // turn off
    boolean enabled = webSocket.isAutomaticReconnectionEnabled(); // query state
    webSocket.enableAutomaticReconnection(); // Java addition: back on for the demo

    webSocket.setMaxWaitBetweenReconnectionRetries(5 * 1000); // 5000ms = 5s
    int m = webSocket.getMaxWaitBetweenReconnectionRetries();

    List<WebSocketCloseInfo> closes = new CopyOnWriteArrayList<>();
    List<Boolean> opens = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> secondOpen = new CompletableFuture<>();
    webSocket.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.OPEN) {
            opens.add(true);
            out.accept("connected (" + opens.size() + ")");
            if (opens.size() == 2) {
              // Java addition: enough for the demo; no third connection after the next close.
              webSocket.disableAutomaticReconnection();
              secondOpen.complete(null);
            }
          } else if (msg.type() == WebSocketMessageType.CLOSE) {
            closes.add(msg.closeInfo());
            out.accept("disconnected: " + msg.closeInfo().code() + " " + msg.closeInfo().reason());
          }
        });
    webSocket.start();
    try {
      secondOpen.get(TIMEOUT_SECS, TimeUnit.SECONDS);
    } finally {
      webSocket.stop();
    }
    return new Result(enabled, m, List.copyOf(closes), opens.size());
  }

  /**
   * Connects to {@code url} where nothing listens and prints the first {@code attempts} errors as
   * {@code ws connect} does: {@code #retries} and {@code Wait time(ms)} follow IX's schedule.
   */
  public static List<WebSocketErrorInfo> backoff(String url, int attempts, Consumer<String> out)
      throws Exception {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl(url);
    List<WebSocketErrorInfo> errors = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> enough = new CompletableFuture<>();
    webSocket.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.ERROR && errors.size() < attempts) {
            errors.add(msg.errorInfo());
            out.accept("#retries: " + msg.errorInfo().retries());
            out.accept("Wait time(ms): " + msg.errorInfo().waitTime());
            if (errors.size() == attempts) {
              enough.complete(null);
            }
          }
        });
    webSocket.start();
    try {
      enough.get(TIMEOUT_SECS, TimeUnit.SECONDS);
    } finally {
      webSocket.stop();
    }
    return List.copyOf(errors);
  }
}
