package dev.ixws.examples;

import dev.ixws.WebSocketErrorInfo;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The guide's "Error notification": an {@code ERROR} message describes a failed connection with
 * {@code errorInfo().reason()}, {@code retries()}, {@code waitTime()} (milliseconds) and {@code
 * httpStatus()}. The guide reads the last three from {@code msg->eventInfo}, a typo for {@code
 * msg->errorInfo}.
 *
 * <p>Without automatic reconnection (not implemented yet) there is one attempt per {@code start()}:
 * {@code retries} is 1 and {@code waitTime} 0.
 */
public final class ErrorExample {

  private static final long TIMEOUT_SECS = 10;

  private ErrorExample() {}

  /** Runs the example against {@code args[0]} (default {@code ws://localhost:8080/}). */
  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? args[0] : "ws://localhost:8080/", System.out::println);
  }

  /**
   * Tries to connect to {@code url} and returns the error reported, e.g. for a server that answers
   * the handshake with 403 or a port nobody listens on.
   *
   * @throws IllegalStateException if the connection opens instead
   */
  public static WebSocketErrorInfo run(String url, Consumer<String> out) throws Exception {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl(url);
    CompletableFuture<WebSocketErrorInfo> failed = new CompletableFuture<>();

    webSocket.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.ERROR) {
            StringBuilder ss = new StringBuilder();
            ss.append("Error: ").append(msg.errorInfo().reason()).append('\n');
            ss.append("#retries: ").append(msg.errorInfo().retries()).append('\n');
            ss.append("Wait time(ms): ").append(msg.errorInfo().waitTime()).append('\n');
            ss.append("HTTP Status: ").append(msg.errorInfo().httpStatus()).append('\n');
            out.accept(ss.toString());
            failed.complete(msg.errorInfo());
          } else if (msg.type() == WebSocketMessageType.OPEN) {
            failed.completeExceptionally(new IllegalStateException("the connection opened"));
          }
        });

    webSocket.start();
    try {
      return failed.get(TIMEOUT_SECS, TimeUnit.SECONDS);
    } finally {
      webSocket.stop();
    }
  }
}
