package dev.ixws.examples;

import dev.ixws.WebSocketCloseInfo;
import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The guide's "Open and Close notifications": the callback receives {@code OPEN} with the handshake
 * headers and {@code CLOSE} with the code and reason the server sent ({@code
 * msg.closeInfo().code()} and {@code .reason()}).
 */
public final class OpenCloseExample {

  private static final long TIMEOUT_SECS = 10;

  /**
   * What the example observed.
   *
   * @param handshakeHeaders the headers of the server's handshake response, from {@code OPEN}
   * @param closeInfo the code, reason and origin of the close, from {@code CLOSE}
   */
  public record Result(WebSocketHttpHeaders handshakeHeaders, WebSocketCloseInfo closeInfo) {}

  private OpenCloseExample() {}

  /** Runs the example against {@code args[0]} (default {@code ws://localhost:8080/}). */
  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? args[0] : "ws://localhost:8080/", System.out::println);
  }

  /**
   * Connects to {@code url} and waits until the server closes the connection (at most 10 s, then
   * the client stops it and reports its own close).
   */
  public static Result run(String url, Consumer<String> out) throws Exception {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl(url);
    CompletableFuture<WebSocketHttpHeaders> opened = new CompletableFuture<>();
    CompletableFuture<WebSocketCloseInfo> closed = new CompletableFuture<>();

    webSocket.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.OPEN) {
            out.accept("send greetings");

            // Headers can be inspected (pairs of string/string)
            out.accept("Handshake Headers:");
            msg.openInfo().headers().forEach((name, value) -> out.accept(name + ": " + value));
            opened.complete(msg.openInfo().headers());
          } else if (msg.type() == WebSocketMessageType.CLOSE) {
            out.accept("disconnected");

            // The server can send an explicit code and reason for closing.
            // This data can be accessed through the closeInfo object.
            out.accept(String.valueOf(msg.closeInfo().code()));
            out.accept(msg.closeInfo().reason());
            closed.complete(msg.closeInfo());
          } else if (msg.type() == WebSocketMessageType.ERROR) {
            opened.completeExceptionally(new IllegalStateException(msg.errorInfo().reason()));
          }
        });

    // Java addition: one connection is enough here. Without this, automatic reconnection (on by
    // default) would connect again after the server's close, until stop().
    webSocket.disableAutomaticReconnection();

    webSocket.start();
    WebSocketHttpHeaders headers = opened.get(TIMEOUT_SECS, TimeUnit.SECONDS);
    try {
      // Java addition: wait for the server to close.
      return new Result(headers, closed.get(TIMEOUT_SECS, TimeUnit.SECONDS));
    } catch (TimeoutException e) {
      webSocket.stop();
      return new Result(headers, closed.get(TIMEOUT_SECS, TimeUnit.SECONDS));
    }
  }
}
